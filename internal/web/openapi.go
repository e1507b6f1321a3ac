package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes the JSON API. TestOpenAPIMatchesRoutes keeps it in step
// with the routes.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(openAPIDocument)
	})
}
