package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var staticFS embed.FS

func staticFiles() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}
