// Package metrics exposes Folio's Prometheus metrics: requests by route
// pattern and status, latency, database pool statistics, the webhook queue
// and its failures, scheduled entries waiting to go live, and Go's own.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/folio-cms/folio/pkg/store"
)

// Metrics holds the collectors of one folio process, in its own registry.
type Metrics struct {
	reg            *prometheus.Registry
	requests       *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	attempts       *prometheus.CounterVec
	attemptLatency prometheus.Histogram
}

// New registers every metric; st provides the database pools and the
// queue and schedule figures, read at each scrape.
func New(st *store.Store, version string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "folio_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "folio_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "folio_webhook_attempts_total",
			Help: "Webhook delivery attempts by outcome: delivered, retry (failed, will retry), failed (gave up), gone (410: webhook deactivated).",
		}, []string{"outcome"}),
		attemptLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "folio_webhook_attempt_duration_seconds",
			Help:    "Time a webhook receiver took to answer.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
	}
	for _, o := range []string{"delivered", "retry", "failed", "gone"} {
		m.attempts.WithLabelValues(o) // start every outcome at 0, so rate() works from the first failure
	}
	m.reg.MustRegister(m.requests, m.latency, m.attempts, m.attemptLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newStoreCollector(st))
	for name, db := range st.Pools() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "folio_build_info", Help: "Always 1; the version label says which folio runs.",
		ConstLabels: prometheus.Labels{"version": version},
	}, func() float64 { return 1 }))
	return m
}

// ObserveRequest counts a request and its latency.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// ObserveWebhook counts a webhook attempt's outcome and latency.
func (m *Metrics) ObserveWebhook(outcome string, d time.Duration) {
	m.attempts.WithLabelValues(outcome).Inc()
	m.attemptLatency.Observe(d.Seconds())
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// storeCollector reads the figures that live in the database at each scrape.
type storeCollector struct {
	st                            *store.Store
	depth, oldest, scheduled, due *prometheus.Desc
	errors                        prometheus.Counter
}

func newStoreCollector(st *store.Store) *storeCollector {
	return &storeCollector{
		st: st,
		depth: prometheus.NewDesc("folio_webhook_queue_depth",
			"Webhook deliveries waiting to be delivered (to active webhooks).", nil, nil),
		oldest: prometheus.NewDesc("folio_webhook_oldest_pending_seconds",
			"Age of the oldest waiting webhook delivery; 0 when none waits.", nil, nil),
		scheduled: prometheus.NewDesc("folio_scheduled_pending",
			"Scheduled entries that have not gone live yet, by type.", []string{"type"}, nil),
		due: prometheus.NewDesc("folio_scheduled_overdue",
			"Scheduled entries whose time has come but whose status the scheduler has not flipped yet.", nil, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "folio_metrics_store_errors_total", Help: "Scrapes that could not read the database figures.",
		}),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.oldest
	ch <- c.scheduled
	ch <- c.due
	c.errors.Describe(ch)
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r := c.st.Read(ctx)
	now := c.st.Now()
	if n, oldest, err := r.QueueDepth(); err != nil {
		c.errors.Inc()
	} else {
		age := 0.0
		if !oldest.IsZero() {
			age = max(now.Sub(oldest).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n))
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age)
	}
	if byType, due, err := r.ScheduledCounts(now); err != nil {
		c.errors.Inc()
	} else {
		for _, t := range []string{"post", "case_study", "page"} {
			ch <- prometheus.MustNewConstMetric(c.scheduled, prometheus.GaugeValue, float64(byType[t]), t)
		}
		ch <- prometheus.MustNewConstMetric(c.due, prometheus.GaugeValue, float64(due))
	}
	c.errors.Collect(ch)
}
