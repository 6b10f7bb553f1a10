package httpapi

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestEveryAdminRouteDeclaresAPermission walks the route table: a route of
// the admin or auth API without a permission would be open to anyone.
func TestEveryAdminRouteDeclaresAPermission(t *testing.T) {
	open := map[string]bool{ // the auth routes that work before sign-in, by design
		"POST /api/v1/auth/login": true, "POST /api/v1/auth/refresh": true, "POST /api/v1/auth/logout": true,
	}
	for _, r := range (&api{posts: postAPI(), studies: caseStudyAPI(), pages: pageAPI()}).routes() {
		key := r.method + " " + r.path
		if strings.HasPrefix(r.path, "/api/v1/admin") && r.perm == public {
			t.Errorf("%s: an admin route without a permission", key)
		}
		if strings.HasPrefix(r.path, "/api/v1/auth/") && r.perm == public && !open[key] {
			t.Errorf("%s: an auth route without a permission", key)
		}
		if r.perm != public && (r.noStore || r.deliver) {
			t.Errorf("%s: flags for public routes on a route that needs sign-in", key)
		}
	}
}

var pathParam = regexp.MustCompile(`:([a-z_]+)`)

// TestEveryRouteIsInTheSpec fails for a route the contract does not
// describe (responses are checked against the spec by every API test; this
// catches routes no test calls).
func TestEveryRouteIsInTheSpec(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range (&api{posts: postAPI(), studies: caseStudyAPI(), pages: pageAPI()}).routes() {
		if r.page {
			continue
		}
		path := strings.ReplaceAll(pathParam.ReplaceAllString(r.path, "{$1}"), "*", "{path}")
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(r.method) == nil {
			t.Errorf("%s %s is not in api/openapi.yaml", r.method, path)
			continue
		}
		op := item.GetOperation(r.method)
		signedIn := op.Security != nil && len(*op.Security) == 1 && (*op.Security)[0]["bearer"] != nil
		if signedIn != (r.perm != public) {
			t.Errorf("%s %s: the spec says sign-in required=%v, the route table perm=%q", r.method, path, signedIn, r.perm)
		}
	}
}

// TestDeliveryParamsAreTheSpecs: a delivery route refuses the query
// parameters it does not list, so its list must be exactly what the
// contract documents for it (besides key, which is the apiKey scheme, and
// preview, taken everywhere).
func TestDeliveryParamsAreTheSpecs(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range (&api{posts: postAPI(), studies: caseStudyAPI(), pages: pageAPI()}).routes() {
		if !r.deliver {
			continue
		}
		path := strings.ReplaceAll(pathParam.ReplaceAllString(r.path, "{$1}"), "*", "{path}")
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(r.method) == nil {
			continue // TestEveryRouteIsInTheSpec says so
		}
		var documented []string
		for _, p := range append(item.Parameters, item.GetOperation(r.method).Parameters...) {
			if p.Value.In == "query" && !slices.Contains(alwaysAccepted, p.Value.Name) {
				documented = append(documented, p.Value.Name)
			}
		}
		slices.Sort(documented)
		taken := slices.Sorted(slices.Values(r.params))
		if !slices.Equal(documented, taken) {
			t.Errorf("%s %s: the route takes %v, api/openapi.yaml documents %v", r.method, path, taken, documented)
		}
	}
}
