// Command daprd is the Dapr runtime (sidecar) built from the Dapr Go modules at the version pinned
// in go.mod. It is the upstream daprd (stable component set) plus the SQLite name resolver, which
// upstream only ships in the "allcomponents" build: mDNS needs multicast, which loopback-only
// sandboxes and CI machines often lack, so local runs resolve app ids through a shared SQLite file.
package main

import (
	"github.com/dapr/components-contrib/nameresolution/sqlite"
	"github.com/dapr/dapr/cmd/daprd/app"
	nrLoader "github.com/dapr/dapr/pkg/components/nameresolution"
)

func main() {
	nrLoader.DefaultRegistry.RegisterComponent(sqlite.NewResolver, "sqlite")
	app.Run()
}
