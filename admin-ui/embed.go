// Package adminui embeds the built admin app (admin-ui/dist, made by
// `npm run build` and committed), so `go build` needs no Node.
package adminui

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// FS returns the built app's files, rooted at dist.
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a constant that go:embed has checked
	}
	return sub
}
