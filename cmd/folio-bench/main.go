// Command folio-bench measures folio's public API against the hardware's
// limit: it seeds a database (10,000 posts of ~1,500 words with 5 tags,
// 1,000 case studies), starts a real `folio serve`, and drives it with wrk
// from this second process on 127.0.0.1; for every endpoint it also serves
// that endpoint's exact response bytes from a minimal net/http server and
// reports requests/s, p50, p99 and the ratio between the two, plus folio's
// peak RSS. It is a development tool (go tool task bench), not part of the
// folio binary.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/folio-cms/folio/pkg/corpus"
	"github.com/folio-cms/folio/pkg/store"
)

func main() {
	bin := flag.String("bin", "bin/folio", "the folio binary to measure")
	dataDir := flag.String("data", "", "data dir to reuse (seeded if empty); default: a new temporary dir")
	posts := flag.Int("posts", 10000, "posts to seed")
	studies := flag.Int("studies", 1000, "case studies to seed")
	duration := flag.Duration("duration", 10*time.Second, "how long each wrk run lasts")
	conns := flag.Int("connections", 64, "wrk connections")
	threads := flag.Int("threads", 2, "wrk threads")
	cacheMB := flag.String("cache-mb", "", "FOLIO_CACHE_MB for the server (empty: folio's default; 0: no cache)")
	seedOnly := flag.Bool("seed-only", false, "seed the data dir (when needed) and exit, for the Go benchmarks")
	run := flag.String("run", "all", "what to measure: all, endpoints (the wrk table), search (every search shape uncached, and search under load) or fetchall (a static build: every post with its html through the lists, 100 a request)")
	searchClients := flag.Int("search-clients", 16, "clients sending distinct searches at once in the search load test")
	searchPace := flag.Duration("search-pace", 200*time.Millisecond, "how long each search client waits between searches in the typing run (a flood run follows, without waiting)")
	flag.Parse()
	log.SetFlags(0)

	if _, err := exec.LookPath("wrk"); err != nil && *run != "fetchall" {
		log.Fatal("wrk is not installed (apt-get install wrk; go tool task bench does that)")
	}
	dir := *dataDir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "folio-bench-"); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	if _, err := corpus.Ensure(context.Background(), dir, corpus.Size{Posts: *posts, Studies: *studies}, func(s string) { log.Print(s) }); err != nil {
		log.Fatalf("seed: %v", err)
	}
	if *seedOnly {
		return
	}

	env := []string{}
	if *cacheMB != "" {
		env = append(env, "FOLIO_CACHE_MB="+*cacheMB)
	}
	if *run == "fetchall" {
		fetchAll(*bin, dir, env)
		return
	}
	srv := startServer(*bin, dir, env)
	defer srv.stop()
	base := srv.base

	if *run == "all" || *run == "search" {
		searchShapes(*bin, dir)
		fmt.Printf("\nSearch under load: %d clients, each sending distinct searches (so the cache never answers), while wrk (%d connections) asks for a cached post; typing: each client waits %s between searches, as a reader typing; flood: back to back:\n\n", *searchClients, *conns, *searchPace)
		fmt.Printf("| clients | searches answered | refused (503) | failed | answered/s | p50 | p99 | p99 incl. 503s | post req/s alone | post req/s meanwhile | ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		searchLoad(base, *posts, *duration, *conns, *threads, *searchClients, *searchPace)
		searchLoad(base, *posts, *duration, *conns, *threads, *searchClients, 0)
		if *run == "search" {
			return
		}
	}

	static := newStatic()
	staticAddr := freeAddr()
	go func() { log.Fatal(http.ListenAndServe(staticAddr, static)) }()
	waitReady("http://" + staticAddr)

	slug := fmt.Sprintf("post-%05d", *posts/2)
	etag := get(base+"/api/v1/posts/"+slug, nil).Header.Get("ETag")
	endpoints := []struct {
		name, path string
		headers    []string
		script     string // wrk Lua, for rotating requests
	}{
		{"post by slug", "/api/v1/posts/" + slug, nil, ""},
		{"list, page 1", "/api/v1/posts", nil, ""},
		{"list, page 200", "/api/v1/posts?page=200", nil, ""},
		{"list, tag filter", "/api/v1/posts?tag=tag-07", nil, ""},
		{"search (12 queries)", "/api/v1/search?q=orchestration", nil, searchScript},
		{"search, a word in every post", "/api/v1/search?q=" + corpus.Vocabulary[0], nil, ""},
		{"304 revalidation", "/api/v1/posts/" + slug, []string{"If-None-Match: " + etag}, ""},
		{"post by slug, all 10,000", "/api/v1/posts/post-00001", nil, slugScript(*posts)},
	}
	postBytes := 0
	fmt.Printf("\n| endpoint | folio req/s | p50 | p99 | static req/s | static p99 | ratio | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for i, ep := range endpoints {
		res := get(base+ep.path, ep.headers)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		static.set(strings.SplitN(ep.path, "?", 2)[0], res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("ETag"), body)
		if i == 0 {
			postBytes = len(body)
		}
		script := ""
		if ep.script != "" {
			script = writeScript(ep.script)
			defer os.Remove(script)
		}
		var f, s wrkResult
		if i%2 == 0 { // alternate which runs first, so neither always gets a warmer machine
			f = wrk(base+ep.path, ep.headers, script, *duration, *conns, *threads)
			s = wrk("http://"+staticAddr+ep.path, ep.headers, "", *duration, *conns, *threads)
		} else {
			s = wrk("http://"+staticAddr+ep.path, ep.headers, "", *duration, *conns, *threads)
			f = wrk(base+ep.path, ep.headers, script, *duration, *conns, *threads)
		}
		fmt.Printf("| %s | %.0f | %s | %s | %.0f | %s | %.2f× | %d |\n", ep.name, f.rps, f.p50, f.p99, s.rps, s.p99, f.rps/s.rps, f.errors)
	}
	dbSize := int64(0)
	if fi, err := os.Stat(filepath.Join(dir, store.FileName)); err == nil {
		dbSize = fi.Size()
	}
	fmt.Printf("\nfolio peak RSS: %s; database %d MB; %d cores (%s); %d connections, %d wrk threads, %s per run; a post is %d bytes of JSON\n",
		peakRSS(srv.cmd.Process.Pid), dbSize>>20, runtime.NumCPU(), cpuModel(), *conns, *threads, *duration, postBytes)
}

// server is a folio serve started by the bench.
type server struct {
	cmd  *exec.Cmd
	base string
	log  *os.File
}

func startServer(bin, dir string, env []string) *server {
	addr := freeAddr()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data-dir", dir)
	cmd.Env = append(append(os.Environ(), "FOLIO_ADMIN_PASSWORD=bench password 12345", "FOLIO_LOG_FORMAT=json"), env...)
	logFile, err := os.CreateTemp("", "folio-bench-log-")
	if err != nil {
		log.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = io.Discard, logFile
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, log: logFile}
	waitReady(s.base)
	return s
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
	s.log.Close()
	os.Remove(s.log.Name())
}

// searchShapes times every search shape of the corpus, alone, with
// type=post and on page 5, one request at a time against a folio with its
// response cache off, so that every answer is searched for.
func searchShapes(bin, dir string) {
	srv := startServer(bin, dir, []string{"FOLIO_CACHE_MB=0"})
	defer srv.stop()
	const n = 100
	fmt.Printf("\nSearch, uncached (response cache off), one client, %d requests each:\n\n", n)
	fmt.Printf("| query | q | total | p50 | p99 | p50 type=post | p99 type=post | p50 page=5 | p99 page=5 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	client := &http.Client{Timeout: 10 * time.Second}
	for _, sh := range corpus.Shapes {
		row := fmt.Sprintf("| %s | `%s` |", sh.Name, sh.Q)
		total := ""
		cells := ""
		for _, extra := range []string{"", "&type=post", "&page=5"} {
			url := srv.base + "/api/v1/search?q=" + queryEscape(sh.Q) + extra
			var times []time.Duration
			for i := 0; i < n+3; i++ {
				start := time.Now()
				res, err := client.Get(url)
				if err != nil {
					log.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					log.Fatalf("%s: %d %s", url, res.StatusCode, body)
				}
				if i >= 3 { // the first ones warm the page cache
					times = append(times, time.Since(start))
				}
				if extra == "" && total == "" {
					total = totalOf(body)
				}
			}
			slices.Sort(times)
			cells += fmt.Sprintf(" %s | %s |", ms(times[n/2]), ms(times[n*99/100]))
		}
		fmt.Println(row + " " + total + " |" + cells)
	}
}

// searchLoad runs clients that each send distinct searches (so the
// response cache never answers them), pace apart, while
// wrk asks for one cached post; it reports the searches' latencies and
// refusals, and the post's throughput against the same wrk run alone.
func searchLoad(base string, posts int, d time.Duration, conns, threads, clients int, pace time.Duration) {
	slug := fmt.Sprintf("/api/v1/posts/post-%05d", posts/2)
	get(base+slug, nil).Body.Close()
	alone := wrk(base+slug, nil, "", d, conns, threads)
	stop := make(chan struct{})
	type result struct {
		took   time.Duration
		status int
	}
	results := make(chan []result, clients)
	for c := 0; c < clients; c++ {
		go func() {
			client := &http.Client{Timeout: 10 * time.Second}
			var out []result
			for {
				select {
				case <-stop:
					results <- out
					return
				default:
				}
				q := loadQueries[int(nextQuery.Add(1))%len(loadQueries)]
				start := time.Now()
				res, err := client.Get(base + "/api/v1/search?q=" + queryEscape(q))
				if err != nil {
					out = append(out, result{time.Since(start), 0})
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				out = append(out, result{time.Since(start), res.StatusCode})
				time.Sleep(pace)
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	loaded := wrk(base+slug, nil, "", d, conns, threads)
	close(stop)
	var ok, busy, failed []time.Duration
	for c := 0; c < clients; c++ {
		for _, r := range <-results {
			switch r.status {
			case 200:
				ok = append(ok, r.took)
			case 503:
				busy = append(busy, r.took)
			default:
				failed = append(failed, r.took)
			}
		}
	}
	slices.Sort(ok)
	all := append(append([]time.Duration{}, ok...), busy...)
	slices.Sort(all)
	pct := func(ts []time.Duration, p int) string {
		if len(ts) == 0 {
			return "—"
		}
		return ms(ts[min(len(ts)-1, len(ts)*p/100)])
	}
	kind := "typing"
	if pace == 0 {
		kind = "flood"
	}
	fmt.Printf("| %d, %s | %d | %d | %d | %.0f | %s | %s | %s | %.0f | %.0f | %.2f× |\n", clients, kind, len(ok), len(busy), len(failed),
		float64(len(ok))/(d.Seconds()+0.5), pct(ok, 50), pct(ok, 99), pct(all, 99), alone.rps, loaded.rps, loaded.rps/alone.rps)
}

// loadQueries are the searches of the load runs, each sent once (the runs
// share nextQuery), so that the response cache never has the answer.
var (
	loadQueries = distinctQueries(60000)
	nextQuery   atomic.Int64
)

// distinctQueries makes n different searches of the kinds readers type:
// one or two words, a word and the start of the next, a quoted phrase.
func distinctQueries(n int) []string {
	r := rand.New(rand.NewPCG(3, 4))
	z := rand.NewZipf(r, 1.07, 1, uint64(len(corpus.Vocabulary)-1))
	word := func() string {
		if r.IntN(10) == 0 {
			t := corpus.Topics[r.IntN(len(corpus.Topics))]
			return t[r.IntN(len(t))]
		}
		return corpus.Vocabulary[z.Uint64()]
	}
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var q string
		switch k := r.IntN(10); {
		case k < 4:
			q = word() + " " + word()
		case k < 7:
			w := word()
			q = word() + " " + w[:min(len(w), 2+r.IntN(4))]
		case k < 9:
			q = word()
		default:
			q = `"` + word() + " " + word() + `"`
		}
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func queryEscape(q string) string { return url.QueryEscape(q) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

var reTotal = regexp.MustCompile(`"total":(\d+)`)

func totalOf(body []byte) string {
	if m := reTotal.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return "?"
}

const searchScript = `
local queries = {"orchestration", "kubernetes", "latency database", "migration", "observability",
  "orchestr", "\"kubernetes latency\"", "caching", "webhook outbox", "throughput", "schema", "grafana"}
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  q = q:gsub(" ", "%%20"):gsub("\"", "%%22")
  return wrk.format(nil, "/api/v1/search?q=" .. q)
end`

func slugScript(n int) string {
	return fmt.Sprintf(`
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, string.format("/api/v1/posts/post-%%05d", (i %% %d) + 1))
end`, n)
}

func writeScript(s string) string {
	f, err := os.CreateTemp("", "folio-bench-*.lua")
	if err != nil {
		log.Fatal(err)
	}
	_, _ = f.WriteString(s)
	f.Close()
	return f.Name()
}

type wrkResult struct {
	rps      float64
	p50, p99 string
	errors   int
}

var (
	reRPS    = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	reP50    = regexp.MustCompile(`\s50%\s+(\S+)`)
	reP99    = regexp.MustCompile(`\s99%\s+(\S+)`)
	reNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	reSocket = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func wrk(url string, headers []string, script string, d time.Duration, conns, threads int) wrkResult {
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", d.String(), "--latency"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	if script != "" {
		args = append(args, "-s", script)
	}
	out, err := exec.Command("wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		log.Fatalf("wrk %s: %v\n%s", url, err, out)
	}
	s := string(out)
	var r wrkResult
	if m := reRPS.FindStringSubmatch(s); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := reP50.FindStringSubmatch(s); m != nil {
		r.p50 = m[1]
	}
	if m := reP99.FindStringSubmatch(s); m != nil {
		r.p99 = m[1]
	}
	if m := reNon2xx.FindStringSubmatch(s); m != nil {
		r.errors, _ = strconv.Atoi(m[1])
	}
	if m := reSocket.FindStringSubmatch(s); m != nil {
		for _, n := range m[1:] {
			k, _ := strconv.Atoi(n)
			r.errors += k
		}
	}
	return r
}

// static serves fixed bytes per path: the hardware's limit for them.
type static struct{ bodies map[string]staticBody }

type staticBody struct {
	status           int
	contentType, tag string
	body             []byte
}

func newStatic() *static { return &static{bodies: map[string]staticBody{}} }

func (s *static) set(path string, status int, ct, etag string, body []byte) {
	s.bodies[path] = staticBody{status, ct, etag, body}
}

func (s *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, ok := s.bodies[r.URL.Path]
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", b.contentType)
	if b.tag != "" {
		w.Header().Set("ETag", b.tag)
		if r.Header.Get("If-None-Match") == b.tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b.body)))
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body)
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitReady(base string) {
	for i := 0; i < 200; i++ {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	log.Fatalf("%s did not come up", base)
}

func get(url string, headers []string) *http.Response {
	req, _ := http.NewRequest("GET", url, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	return res
}

func peakRSS(pid int) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(sc.Text(), "VmHWM:"))
		}
	}
	return "unknown"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			return strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
		}
	}
	return "unknown CPU"
}

// fetchAllFields is what a static build asks each list for: everything a
// post's page renders.
const fetchAllFields = "id,slug,url,title,excerpt,cover_image,tags,author,reading_time_minutes,published_at,featured,html,toc,seo,word_count,updated_at"

// fetchAll times a static build's fetch of every post with its html
// through the lists (fields=…,html, per_page=100), one request after
// another as a build script makes them, from a freshly started folio
// (the response cache empty: the first round reads the database) and again
// with the cache warm; and the same with four requests at a time.
func fetchAll(bin, dir string, env []string) {
	srv := startServer(bin, dir, env)
	defer func() { srv.stop() }()
	plain := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	gzipped := &http.Client{Timeout: 60 * time.Second} // Go asks for gzip and inflates it
	client := plain
	page := func(n int) (int, int) {
		res, err := client.Get(fmt.Sprintf("%s/api/v1/posts?per_page=100&page=%d&fields=%s", srv.base, n, fetchAllFields))
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			log.Fatalf("page %d: %d %s", n, res.StatusCode, body)
		}
		return len(body), strings.Count(string(body), `"html":`)
	}
	_, first := page(1)
	total, _ := strconv.Atoi(totalOf(mustBody(client, srv.base+"/api/v1/posts?per_page=1&fields=id")))
	pages := (total + 99) / 100
	fmt.Printf("\nFetch everything: %d posts with html, %d list requests of 100 (%d on the first page), over HTTP/1.1 on 127.0.0.1, %d cores (%s):\n\n", total, pages, first, runtime.NumCPU(), cpuModel())
	fmt.Printf("| round | encoding | clients | requests | posts | MB of JSON | time | posts/s |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range []struct {
		name    string
		gzip    bool
		clients int
	}{{"cold (just started)", false, 1}, {"again", false, 1}, {"cold (restarted)", false, 4}, {"cold (restarted)", true, 1}, {"cold (restarted)", true, 4}} {
		if strings.HasPrefix(r.name, "cold (restarted)") {
			srv.stop()
			srv = startServer(bin, dir, env)
		}
		encoding := "identity"
		client = plain
		if r.gzip {
			client, encoding = gzipped, "gzip"
		}
		var next atomic.Int64
		var bytes, posts atomic.Int64
		start := time.Now()
		done := make(chan struct{})
		for range r.clients {
			go func() {
				for {
					n := int(next.Add(1))
					if n > pages {
						done <- struct{}{}
						return
					}
					b, p := page(n)
					bytes.Add(int64(b))
					posts.Add(int64(p))
				}
			}()
		}
		for range r.clients {
			<-done
		}
		took := time.Since(start)
		if int(posts.Load()) != total {
			log.Fatalf("%s: %d posts with html, want %d", r.name, posts.Load(), total)
		}
		fmt.Printf("| %s | %s | %d | %d | %d | %.1f | %.2f s | %.0f |\n", r.name, encoding, r.clients, pages, posts.Load(), float64(bytes.Load())/(1<<20), took.Seconds(), float64(total)/took.Seconds())
	}
}

func mustBody(client *http.Client, url string) []byte {
	res, err := client.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}
