package auth_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/folio-cms/folio/pkg/app"
	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store/pgtest"
)

// The sign-in lockout holds across replicas: 30 wrong passwords at once,
// through 3 folios on one PostgreSQL database (each made by app.New from
// FOLIO_DATABASE_URL, as folio serve makes it), are 5 refusals of the
// password and then 25 lockouts (each from its own IP, so only the
// email's limit applies).
func TestLockoutHoldsAcrossReplicas(t *testing.T) {
	c := pgtest.Need(t)
	ctx := context.Background()
	name := c.NewName("replicas")
	u, err := c.CreateDatabase(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Drop(ctx, name) })
	h, err := auth.NewHasher(10)
	if err != nil {
		t.Fatal(err)
	}
	var apps []*app.App
	for range 3 {
		cfg := config.Default()
		cfg.DataDir, cfg.PublicURL, cfg.JWTSecret, cfg.DatabaseURL = t.TempDir(), "http://folio.test", strings.Repeat("k", 32), u
		a, err := app.New(ctx, cfg, app.Options{Hasher: h})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		apps = append(apps, a)
	}
	if _, err := apps[0].Auth.CreateUser(ctx, auth.System, auth.NewUser{Email: "ed@example.com", Role: auth.RoleEditor, Password: "a sturdy passphrase"}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	kinds := map[string]int{}
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := apps[i%3].Auth.Login(ctx, "ed@example.com", "wrong password", auth.Client{IP: fmt.Sprintf("192.0.2.%d", i+1)})
			k := "other: " + fmt.Sprint(err)
			switch {
			case errs.Is(err, errs.Unauthenticated):
				k = "401"
			case errs.Is(err, errs.RateLimited):
				k = "429"
			}
			mu.Lock()
			kinds[k]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if kinds["401"] != 5 || kinds["429"] != 25 || len(kinds) != 2 {
		t.Errorf("30 wrong passwords over 3 replicas: %v, want 5 × 401 and 25 × 429", kinds)
	}
}
