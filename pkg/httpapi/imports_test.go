package httpapi

import (
	"go/build"
	"strings"
	"testing"
)

// TestNoStoreInTheHTTPLayer: the HTTP layer reaches the database only
// through the services and the small interfaces of Deps (freshness,
// health), never by importing the store or GORM.
func TestNoStoreInTheHTTPLayer(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if imp == "github.com/folio-cms/folio/pkg/store" || strings.HasPrefix(imp, "gorm.io/") || strings.Contains(imp, "sqlite") {
			t.Errorf("pkg/httpapi imports %s: take what it needs from a service, or an interface in Deps", imp)
		}
	}
	if len(pkg.Imports) == 0 {
		t.Fatal("no imports found: is this the package's directory?")
	}
}
