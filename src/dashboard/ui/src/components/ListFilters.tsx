// The filter selects and the search box of the Applications view.
import type { AppSummary } from '../../../api-types.js';
import { filterOptions, type AppListFilter, type FilterField } from '../app-list-filter.js';

interface ListFiltersProps {
  readonly apps: readonly AppSummary[];
  readonly filter: AppListFilter;
  readonly onChange: (filter: AppListFilter) => void;
}

const labels: readonly (readonly [FilterField, string])[] = [
  ['sync', 'Sync'],
  ['health', 'Health'],
  ['project', 'Project'],
  ['namespace', 'Namespace'],
  ['cluster', 'Cluster'],
];

export function ListFilters({ apps, filter, onChange }: ListFiltersProps) {
  return (
    <div class="filters">
      <input
        type="search"
        class="search"
        placeholder="Search name, namespace, project, repo, path"
        data-testid="search"
        value={filter.search}
        onInput={(event) => {
          onChange({ ...filter, search: event.currentTarget.value });
        }}
      />
      {labels.map(([field, label]) => (
        <FilterSelect key={field} field={field} label={label} apps={apps} value={filter[field]} onSelect={(value) => { onChange({ ...filter, [field]: value }); }} />
      ))}
    </div>
  );
}

interface FilterSelectProps {
  readonly field: FilterField;
  readonly label: string;
  readonly apps: readonly AppSummary[];
  readonly value: string;
  readonly onSelect: (value: string) => void;
}

function FilterSelect({ field, label, apps, value, onSelect }: FilterSelectProps) {
  const options = filterOptions(apps, field);
  if (value !== '' && !options.includes(value)) options.push(value);
  return (
    <label class="filter">
      <span>{label}</span>
      <select
        data-testid={`filter-${field}`}
        value={value}
        onChange={(event) => {
          onSelect(event.currentTarget.value);
        }}
      >
        <option value="">all</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}
