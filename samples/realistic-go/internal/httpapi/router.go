// Package httpapi is the service's HTTP surface: a chi router with CORS, request logging (zerolog) and
// Prometheus metrics.
package httpapi

import (
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"example.com/orders/internal/orders"
)

// Options are what the router needs from the settings.
type Options struct {
	Version        string
	RequestTimeout time.Duration
	CORSOrigins    []string
}

// New wires the routes.
func New(store *orders.Store, log zerolog.Logger, options Options) http.Handler {
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orders_http_requests_total",
		Help: "HTTP requests by route and status code.",
	}, []string{"route", "code"})
	registry.MustRegister(requests)

	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.RealIP, middleware.Recoverer, middleware.Timeout(options.RequestTimeout))
	r.Use(cors.Handler(cors.Options{AllowedOrigins: options.CORSOrigins, AllowedMethods: []string{"GET", "POST"}}))
	r.Use(accessLog(log, requests))

	r.Get("/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{
			"service": "orders-go",
			"arch":    runtime.GOARCH,
			"os":      runtime.GOOS,
			"version": options.Version,
		})
	})
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("healthy")) })
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))

	r.Route("/orders", func(r chi.Router) {
		r.Get("/", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, store.List()) })
		r.Post("/", func(w http.ResponseWriter, req *http.Request) {
			var body struct {
				Customer string        `json:"customer"`
				Lines    []orders.Line `json:"lines"`
			}
			if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
				return
			}
			order, err := store.Add(body.Customer, body.Lines)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
				return
			}
			w.Header().Set("Location", "/orders/"+order.ID.String())
			writeJSON(w, http.StatusCreated, order)
		})
		r.Get("/{id}", func(w http.ResponseWriter, req *http.Request) {
			id, err := uuid.Parse(chi.URLParam(req, "id"))
			if err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "not an order id"})
				return
			}
			if order, ok := store.Get(id); ok {
				writeJSON(w, http.StatusOK, order)
				return
			}
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such order"})
		})
	})
	return r
}

func accessLog(log zerolog.Logger, requests *prometheus.CounterVec) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, req.ProtoMajor)
			next.ServeHTTP(ww, req)
			route := chi.RouteContext(req.Context()).RoutePattern()
			requests.WithLabelValues(route, strconv.Itoa(ww.Status())).Inc()
			log.Info().
				Str("request_id", middleware.GetReqID(req.Context())).
				Str("method", req.Method).
				Str("route", route).
				Int("status", ww.Status()).
				Dur("duration", time.Since(start)).
				Msg("request")
		})
	}
}

func writeJSON(w http.ResponseWriter, status int, value any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(value)
}
