package markdown

import (
	"fmt"
	"strings"
	"testing"
)

// benchArticle is a realistic long-form article of about 1,500 words with
// h2–h4 headings, lists, a table, code blocks, links and images.
var benchArticle = buildBenchArticle()

func buildBenchArticle() string {
	var b strings.Builder
	b.WriteString(`# Shipping a Go Service to Production

Running a small Go service in production is mostly about the boring parts: a
predictable build, sensible defaults, good logs and a deployment you can roll
back without thinking. This guide walks through the setup we use at
[Folio](https://folio.example.com) for every new service, from the first
commit to the first on-call page. It is opinionated on purpose -- you can
always add more machinery later, but it is much harder to take it away.

![Architecture overview](https://cdn.example.com/img/architecture.png "Architecture")

`)
	topics := []struct{ name, noun string }{
		{"Building", "build"},
		{"Configuring", "configuration"},
		{"Observing", "telemetry"},
		{"Deploying", "release"},
	}
	for i, tp := range topics {
		fmt.Fprintf(&b, `## %d. %s the service

Every team eventually learns that the %[3]s is part of the product. When it
is slow, flaky or surprising, people route around it, and the workarounds
become the real process. Treat the %[3]s like code: keep it in the
repository, review changes to it, and make the "happy path" the *shortest*
path. A new engineer should be able to read it in ten minutes and understand
**what happens, in which order, and why**.

### Goals

- Keep the %[3]s reproducible: the same commit must produce the same result.
- Make failures loud and early, with an error message that says what to do.
- Prefer the standard library and `+"`go`"+` tooling over custom scripts.
  1. Pin tool versions in `+"`go.mod`"+`.
  2. Run the same commands locally and in CI.
- Document the escape hatches, and the reasons they exist.

### Checklist

- [x] Written down in the repository
- [x] Reviewed by someone outside the team
- [ ] Exercised in a game day at least once per quarter

#### A minimal example

The smallest useful version looks like this; everything else in this section
is a refinement of it. Note that errors are wrapped with context rather than
logged and ignored, so the caller decides what to do with them.

`+"```go"+`
func run(ctx context.Context, cfg Config) error {
	srv := &http.Server{Addr: cfg.Addr, Handler: routes(cfg)}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("step %[1]d: serve: %%w", err)
	}
	return nil
}
`+"```"+`

> **Tip:** if you find yourself adding a flag to skip a step "just this once",
> write down why. Those notes are the best input for the next iteration of
> the %[3]s, and they age much better than chat threads.

See the [Go documentation](https://go.dev/doc/) and our internal
[style guide](/handbook/style#%[3]s) for the details we skip here. Questions
go to <platform@example.com> or the #platform channel; we answer within a
day, usually faster.

![Step %[1]d diagram](/img/steps/%[1]d.png)

`, i+1, tp.name, tp.noun)
	}
	b.WriteString(`## Comparison of hosting options

| Option          | Cost per month | Cold start | Operational effort |
|:----------------|---------------:|:----------:|--------------------|
| Single VM       | $20            | none       | medium -- patching  |
| Container PaaS  | $35            | ~1 s       | low                |
| Kubernetes      | $150+          | none       | high               |
| Functions       | usage-based    | ~300 ms    | low, but ~~simple~~ constrained |

## Wrapping up

None of this is new, and that is the point. The teams that sleep well are the
ones whose systems are "boring": built the same way every time, configured in
one place, observable by default and released in small steps. Start with the
minimal version of each section, measure, and only then add complexity --
your future self, paged at 3 a.m., will thank you.[^1]

### Further reading

1. [Effective Go](https://go.dev/doc/effective_go) -- still the best
   introduction to idiomatic code, even years after it was written.
2. [The Twelve-Factor App](https://12factor.net/) for configuration and
   process management, with a grain of salt for the parts that have aged.
3. Site Reliability Engineering, chapters 4 and 6, on service level
   objectives and on monitoring distributed systems without drowning in
   dashboards nobody reads.
4. Our own postmortems in the handbook, which are honest about what went
   wrong and, more usefully, about what we changed afterwards.

[^1]: Based on a talk given at the Folio engineering offsite, spring edition.
`)
	return b.String()
}

func BenchmarkRender(b *testing.B) {
	res, err := Render(benchArticle)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("article: %d bytes, %d words, %d TOC entries", len(benchArticle), res.WordCount, len(res.TOC))
	b.SetBytes(int64(len(benchArticle)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(benchArticle); err != nil {
			b.Fatal(err)
		}
	}
}
