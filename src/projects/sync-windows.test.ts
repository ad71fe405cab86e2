import { describe, expect, it } from '@jest/globals';
import { syncWindowState, windowOpen, type WindowedApp } from './sync-windows.js';
import { project } from './testing/project.js';
import type { SyncWindow } from './types.js';

const app: WindowedApp = { name: 'web', destination: { server: 'https://kubernetes.default.svc', name: 'in-cluster', namespace: 'prod' } };
const at = (iso: string): Date => new Date(iso);
const windows = (...syncWindows: SyncWindow[]) => project('p', { syncWindows });

const nightlyDeny: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '4h', applications: ['*'] };

describe('syncWindowState', () => {
  it('allows everything when the project has no windows, or none matches the app', () => {
    expect(syncWindowState(project('p', {}), app, at('2026-03-02T23:00:00Z'))).toEqual({ automatedAllowed: true, manualAllowed: true, activeWindows: [] });
    const other = windows({ ...nightlyDeny, applications: ['api-*'] });
    expect(syncWindowState(other, app, at('2026-03-02T23:00:00Z')).automatedAllowed).toBe(true);
  });

  it('an open deny window across midnight holds back every sync, until it closes', () => {
    const state = syncWindowState(windows(nightlyDeny), app, at('2026-03-03T01:30:00Z'));
    expect(state).toEqual({
      automatedAllowed: false,
      manualAllowed: false,
      activeWindows: [nightlyDeny],
      message: 'sync window deny "0 22 * * *" for 4h (UTC) is open until 2026-03-03T02:00:00.000Z; manual syncs are held back too',
      nextChange: at('2026-03-03T02:00:00Z'),
    });
  });

  it('a window is open from its start (inclusive) to start + duration (exclusive)', () => {
    const p = windows(nightlyDeny);
    expect(syncWindowState(p, app, at('2026-03-02T21:59:59Z')).automatedAllowed).toBe(true);
    expect(syncWindowState(p, app, at('2026-03-02T22:00:00Z')).automatedAllowed).toBe(false);
    expect(syncWindowState(p, app, at('2026-03-03T01:59:59.999Z')).automatedAllowed).toBe(false);
    expect(syncWindowState(p, app, at('2026-03-03T02:00:00Z')).automatedAllowed).toBe(true);
  });

  it('while syncs are allowed, nextChange is when the next deny opens', () => {
    const state = syncWindowState(windows(nightlyDeny), app, at('2026-03-02T12:00:00Z'));
    expect(state.automatedAllowed).toBe(true);
    expect(state.nextChange).toEqual(at('2026-03-02T22:00:00Z'));
    expect(state.message).toBeUndefined();
  });

  it('manualSync on an open deny lets manual syncs through', () => {
    const state = syncWindowState(windows({ ...nightlyDeny, manualSync: true }), app, at('2026-03-02T23:00:00Z'));
    expect(state).toMatchObject({ automatedAllowed: false, manualAllowed: true });
    expect(state.message).toContain('manual syncs are allowed');
  });

  it('manual syncs pass an open deny only if every open deny allows them', () => {
    const strict: SyncWindow = { kind: 'deny', schedule: '0 23 * * *', duration: '1h', namespaces: ['prod'] };
    const state = syncWindowState(windows({ ...nightlyDeny, manualSync: true }, strict), app, at('2026-03-02T23:30:00Z'));
    expect(state).toMatchObject({ automatedAllowed: false, manualAllowed: false });
    expect(state.activeWindows).toHaveLength(2);
    // The strict window closes at midnight, the lenient one at 02:00.
    expect(state.nextChange).toEqual(at('2026-03-03T02:00:00Z'));
  });

  it('deny wins over an open allow', () => {
    const allowAlways: SyncWindow = { kind: 'allow', schedule: '0 0 * * *', duration: '24h', applications: ['web'] };
    const state = syncWindowState(windows(allowAlways, nightlyDeny), app, at('2026-03-02T23:00:00Z'));
    expect(state).toMatchObject({ automatedAllowed: false, manualAllowed: false });
  });

  it('allow windows that exist but are closed hold back automated syncs; manual ones only if every allow has manualSync', () => {
    const business: SyncWindow = { kind: 'allow', schedule: '0 9 * * 1-5', duration: '8h', clusters: ['in-cluster'] };
    const p = windows(business);
    const open = syncWindowState(p, app, at('2026-03-02T10:00:00Z'));
    expect(open).toMatchObject({ automatedAllowed: true, manualAllowed: true, activeWindows: [business] });
    expect(open.nextChange).toEqual(at('2026-03-02T17:00:00Z'));
    // Friday evening: closed until Monday 09:00.
    const closed = syncWindowState(p, app, at('2026-03-06T18:00:00Z'));
    expect(closed).toEqual({
      automatedAllowed: false,
      manualAllowed: false,
      activeWindows: [],
      message: 'no allow sync window is open (allow "0 9 * * 1-5" for 8h (UTC)) until 2026-03-09T09:00:00.000Z; manual syncs are held back too',
      nextChange: at('2026-03-09T09:00:00Z'),
    });
    const lenient = windows({ ...business, manualSync: true }, { ...business, schedule: '0 20 * * *', manualSync: false });
    expect(syncWindowState(lenient, app, at('2026-03-06T18:00:00Z')).manualAllowed).toBe(false);
    expect(syncWindowState(windows({ ...business, manualSync: true }), app, at('2026-03-06T18:00:00Z')).manualAllowed).toBe(true);
  });

  it('reads the schedule in the window time zone, daylight saving time included', () => {
    const berlin: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '1h', applications: ['web'], timeZone: 'Europe/Berlin' };
    // Winter: 22:00 in Berlin is 21:00 UTC.
    expect(syncWindowState(windows(berlin), app, at('2026-01-15T21:30:00Z')).automatedAllowed).toBe(false);
    expect(syncWindowState(windows(berlin), app, at('2026-01-15T22:30:00Z')).automatedAllowed).toBe(true);
    // Summer: 22:00 in Berlin is 20:00 UTC.
    const summer = syncWindowState(windows(berlin), app, at('2026-07-15T20:15:00Z'));
    expect(summer.automatedAllowed).toBe(false);
    expect(summer.nextChange).toEqual(at('2026-07-15T21:00:00Z'));
    expect(summer.message).toContain('(Europe/Berlin)');
  });

  it('an occurrence opened before now still counts when a later start is due (duration longer than the period)', () => {
    const overlapping: SyncWindow = { kind: 'deny', schedule: '0 * * * *', duration: '90m', applications: ['*'] };
    const state = syncWindowState(windows(overlapping), app, at('2026-03-02T10:45:00Z'));
    expect(state.automatedAllowed).toBe(false);
    // Always some occurrence open: no change is ever found.
    expect(state.nextChange).toBeUndefined();
    expect(state.message).not.toContain('until');
  });

  it('selects by application name, cluster name or server, and namespace; andOperator needs every selector set', () => {
    const byServer: SyncWindow = { ...nightlyDeny, applications: undefined, clusters: ['https://kubernetes.default.*'] };
    const now = at('2026-03-02T23:00:00Z');
    expect(syncWindowState(windows(byServer), app, now).automatedAllowed).toBe(false);
    const orWindow: SyncWindow = { ...nightlyDeny, applications: ['api'], namespaces: ['prod'] };
    expect(syncWindowState(windows(orWindow), app, now).automatedAllowed).toBe(false);
    expect(syncWindowState(windows({ ...orWindow, andOperator: true }), app, now).automatedAllowed).toBe(true);
    expect(syncWindowState(windows({ ...orWindow, applications: ['web'], andOperator: true }), app, now).automatedAllowed).toBe(false);
    const noSelector: SyncWindow = { kind: 'deny', schedule: '0 22 * * *', duration: '4h' };
    expect(syncWindowState(windows(noSelector), app, now).automatedAllowed).toBe(true);
  });

  it('a window that cannot be read holds back every sync of the apps it matches', () => {
    const broken: SyncWindow = { ...nightlyDeny, schedule: '0 25 * * *' };
    const state = syncWindowState(windows(broken), app, at('2026-03-02T12:00:00Z'));
    expect(state).toMatchObject({ automatedAllowed: false, manualAllowed: false });
    expect(state.message).toContain('cannot be used: schedule "0 25 * * *" is not a valid cron expression');
  });
});

describe('windowOpen', () => {
  it('says whether a window is open at a time, or undefined when it cannot be read', () => {
    expect(windowOpen(nightlyDeny, at('2026-03-02T23:00:00Z'))).toBe(true);
    expect(windowOpen(nightlyDeny, at('2026-03-02T12:00:00Z'))).toBe(false);
    expect(windowOpen({ ...nightlyDeny, duration: 'x' }, at('2026-03-02T12:00:00Z'))).toBeUndefined();
  });
});
