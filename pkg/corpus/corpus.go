// Package corpus makes the benchmark site: deterministic posts and case
// studies of about 1,500 words each, drawn from a Zipf-distributed
// vocabulary of 5,000 words, so that the most common words are in every
// entry (as "the", "data" or "cloud" are on a real consultancy blog) and
// the rarest in a few percent of them. `cmd/folio-bench` and the Go
// benchmarks seed their databases with it; the same seed always gives the
// same site, word for word.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Version changes whenever the text this package generates changes, so
// that a database seeded by an older version is seeded again.
const Version = 2

// VocabularySize is the number of distinct ordinary words.
const VocabularySize = 5000

// head is the top of the vocabulary, most common first: real words, so
// that a reader's prefixes ("d", "da", "dat") find what they would on a
// real site. The rest of the vocabulary is made of syllables.
var head = strings.Fields(`
	the of and to a in is for that with on data as it be are this by we from or an at
	not can database service you system your our which use cloud has more have will one all
	time when each but new they code so server how also only request query user like its then
	than team first what into deploy other there if design most these users latency cluster api
	build test two without their page was out where way about need make after development should
	some any over just many because same while through every work change load write read file run
	both cache release version developer different does done down during default document domain
	driver dashboard daily date day deal debug decision dependency detail device direct disk
	distributed dns docker draft dynamic daemon damage dark dataset deadline decode
	deep define delay delete deliver demand dense describe desktop detect diagram digest disable
	display divide double dozen drop duration index memory network storage security performance
	application process platform support customer product feature content model source value
	problem project result report search state status step store stream table task thread token
	update upgrade value view window worker access account action agent alert allocate analysis
	answer archive argument array asset async audit backend backup balance batch benchmark block
	branch browser buffer bundle business call capacity certificate channel check client commit
	compute config connection container context contract control cost count coverage cpu create
	critical cron daemon`)

// Vocabulary is the ordinary words, most common first: word k is drawn
// with probability proportional to (k+1)^-1.07 (Zipf).
var Vocabulary = makeVocabulary()

func makeVocabulary() []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range head {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	syll := strings.Fields("ka lo mi ne ru sa ti vo de fa gu pe ri so ta ve ba co du el fi go ha in jo ku la me no da di do")
	r := rand.New(rand.NewPCG(1, 2))
	for len(out) < VocabularySize {
		w := ""
		for k := 0; k < 2+r.IntN(3); k++ {
			w += syll[r.IntN(len(syll))]
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// Topics are words a post is about and repeats (about one word in 25):
// a topical query ("kubernetes") matches a few percent of the site.
var Topics = makeTopics()

func makeTopics() [][]string {
	base := strings.Fields(`orchestration kubernetes observability caching throughput schema migration
		postgres sqlite queue tracing logging metrics alerting rollback canary replication sharding
		partition vacuum checkpoint wal consensus raft leader election gossip protocol grpc rest graphql websocket
		oauth session cookie encryption hashing bcrypt tls proxy loadbalancer ingress gateway cdn
		edge serverless lambda image registry pipeline ci testing fuzzing profiling
		allocation garbage goroutine mutex deadlock race timeout retry backoff jitter idempotency
		outbox webhook event kafka nats pubsub scheduler etl warehouse analytics grafana`)
	var out [][]string
	for i := 0; i < 100; i++ {
		out = append(out, []string{base[i%len(base)], base[(i*7+3)%len(base)], base[(i*13+5)%len(base)]})
	}
	return out
}

// RareWord is the k-th rare word: rare word k is in entries k, k+1 and
// k+2 (counting posts then case studies from 1), and nowhere else.
func RareWord(k int) string {
	const letters = "bcdfghjklmnpqrstvwxz"
	w := "qu"
	for ; k > 0; k /= len(letters) {
		w += string(letters[k%len(letters)])
	}
	return w + "ix"
}

// NoMatch is a word that no entry contains.
const NoMatch = "xyzzyplugh"

// Post is one generated post.
type Post struct {
	Slug, Title, Body string
	Tags              []string // five of "Tag 00" … "Tag 49"
}

// CaseStudy is one generated case study.
type CaseStudy struct {
	Slug, Title, Client, Industry, Summary string
	Challenge, Solution, Results           string
	Technologies                           []string
}

// NewPost returns post i (from 1): about 1,500 words of Markdown with
// headings, lists, tables and code.
func NewPost(i int) Post {
	w := newWriter(rand.New(rand.NewPCG(uint64(i), 7)), i)
	p := Post{Slug: fmt.Sprintf("post-%05d", i), Title: w.title(), Body: w.article()}
	for len(p.Tags) < 5 {
		t := fmt.Sprintf("Tag %02d", w.r.IntN(50))
		if !contains(p.Tags, t) {
			p.Tags = append(p.Tags, t)
		}
	}
	return p
}

// NewCaseStudy returns case study i (from 1) of a site with posts posts:
// about 1,500 words over challenge, solution and results.
func NewCaseStudy(i, posts int) CaseStudy {
	w := newWriter(rand.New(rand.NewPCG(uint64(i), 11)), posts+i)
	return CaseStudy{
		Slug: fmt.Sprintf("study-%04d", i), Title: w.title(), Client: "Client " + fmt.Sprint(i),
		Industry: []string{"Logistics", "Fintech", "Retail", "Health"}[i%4], Technologies: []string{"Go", "PostgreSQL"},
		Summary: w.sentence(25), Challenge: w.paragraphs(6) + " " + w.rareSentence(), Solution: w.paragraphs(7), Results: w.paragraphs(4),
	}
}

type writer struct {
	r      *rand.Rand
	zipf   *rand.Zipf
	topics [][]string
	rare   []string
}

func newWriter(r *rand.Rand, n int) *writer {
	w := &writer{r: r, zipf: rand.NewZipf(r, 1.07, 1, VocabularySize-1)}
	for k := 0; k < 3; k++ {
		w.topics = append(w.topics, Topics[r.IntN(len(Topics))])
	}
	for k := max(1, n-2); k <= n; k++ {
		w.rare = append(w.rare, RareWord(k))
	}
	return w
}

func (w *writer) word() string {
	if w.r.IntN(25) == 0 { // about one word in 25 is one of the entry's topics
		t := w.topics[w.r.IntN(len(w.topics))]
		return t[w.r.IntN(len(t))]
	}
	return Vocabulary[w.zipf.Uint64()]
}

func (w *writer) sentence(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = w.word()
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (w *writer) paragraphs(n int) string {
	ps := make([]string, n)
	for i := range ps {
		var ss []string
		for j := 0; j < 5; j++ {
			ss = append(ss, w.sentence(8+w.r.IntN(20)))
		}
		ps[i] = strings.Join(ss, " ")
	}
	return strings.Join(ps, "\n\n")
}

// rareSentence is a sentence with each of the entry's rare words.
func (w *writer) rareSentence() string {
	return strings.TrimSuffix(w.sentence(4), ".") + " " + strings.Join(w.rare, " ") + "."
}

func (w *writer) title() string { return strings.TrimSuffix(w.sentence(4+w.r.IntN(4)), ".") }

// article is ~1,500 words of Markdown with headings, lists, a table and code.
func (w *writer) article() string {
	var b strings.Builder
	b.WriteString(w.paragraphs(2) + " " + w.rareSentence() + "\n\n")
	for s := 0; s < 6; s++ {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", w.title(), w.paragraphs(2))
		fmt.Fprintf(&b, "### %s\n\n- %s\n- %s\n- %s\n\n", w.title(), w.sentence(8), w.sentence(8), w.sentence(8))
		if s%2 == 0 {
			fmt.Fprintf(&b, "| metric | before | after |\n|---|---|---|\n| p99 | %d ms | %d ms |\n\n", 100+w.r.IntN(100), 10+w.r.IntN(50))
		} else {
			b.WriteString("```go\nfunc handler(w http.ResponseWriter, r *http.Request) {\n\tw.Write([]byte(\"ok\"))\n}\n```\n\n")
		}
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Shape is one kind of search a reader makes, as the benchmarks measure it.
type Shape struct {
	Name string
	Q    string // as typed: the last word matches as a prefix, as it does through the API
}

// Shapes are the searches the benchmarks time, up to the worst a reader
// can type against this corpus.
var Shapes = []Shape{
	{"common word", Vocabulary[0]},           // "the": in every entry, ~100 times each
	{"two common words", "database service"}, // both in nearly every entry
	{"quoted phrase", `"of the"`},            // the two most common words, side by side
	{"prefix d", "d"},                        // one letter typed: every word starting with d
	{"prefix da", "da"},                      // two letters
	{"rare word", RareWord(5000)},            // in three entries
	{"no match", NoMatch},                    // in none
	{"ten words", "the data service cloud system query latency cluster server deploy"},
	{"topic word", "kubernetes"}, // in about one entry in eight
}
