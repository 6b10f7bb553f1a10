package app_test

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/folio-cms/folio/"

// TestImportsFlowOneWay holds the packages to the layering README
// describes. Only non-test files count: tests may build what they like.
func TestImportsFlowOneWay(t *testing.T) {
	imports := map[string][]string{} // pkg/x → what it imports
	for _, root := range []string{"../../pkg", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			p, err := build.ImportDir(path, 0)
			if _, none := err.(*build.NoGoError); none {
				return nil
			}
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("../..", path)
			imports[filepath.ToSlash(rel)] = p.Imports
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(imports["pkg/httpapi"]) == 0 || len(imports["pkg/store"]) == 0 {
		t.Fatalf("did not find the packages: %v", imports)
	}
	for pkg, imps := range imports {
		for _, imp := range imps {
			own := strings.TrimPrefix(imp, module)
			switch {
			case strings.HasPrefix(imp, "gorm.io/") && pkg != "pkg/store":
				t.Errorf("%s imports %s: only pkg/store talks to the database", pkg, imp)
			case (strings.HasPrefix(imp, "github.com/gofiber/") || strings.HasPrefix(imp, "github.com/valyala/fasthttp")) && pkg != "pkg/httpapi":
				t.Errorf("%s imports %s: only pkg/httpapi speaks HTTP through Fiber", pkg, imp)
			case pkg == "pkg/httpapi" && own == "pkg/store":
				t.Errorf("pkg/httpapi imports the store: take it from a service, or a small interface in Deps")
			case slices.Contains([]string{"pkg/errs", "pkg/config", "pkg/paging", "pkg/slug"}, pkg) && own != imp:
				t.Errorf("%s imports %s: it is a leaf", pkg, imp)
			case slices.Contains([]string{"pkg/backup", "pkg/doctor", "pkg/library", "pkg/media", "pkg/store"}, pkg) && own == "pkg/content":
				t.Errorf("%s imports pkg/content, which is above it", pkg)
			case own == "pkg/app" && !strings.HasPrefix(pkg, "cmd/"):
				t.Errorf("%s imports pkg/app: only the commands wire folio", pkg)
			}
		}
	}
}
