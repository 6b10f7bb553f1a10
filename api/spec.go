// Package api holds Folio's HTTP contract, api/openapi.yaml, embedded so
// the server can publish it at /api/openapi.yaml and /api/docs.
package api

import _ "embed"

// Spec is the OpenAPI 3.1 document, as written.
//
//go:embed openapi.yaml
var Spec []byte
