// Command etcd starts an etcd server; it exists so the test cluster can build a pinned etcd 3.5 from Go modules.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
