// stevedore-go-service answers GET / with its name and architecture and GET /healthz with "healthy".
// It listens on $HOST:$PORT (HOST empty: every interface; PORT default 8080).
package main

import (
	"encoding/json"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
)

func main() {
	addr := net.JoinHostPort(os.Getenv("HOST"), envOr("PORT", "8080"))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"service": "stevedore-go-service", "arch": runtime.GOARCH})
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("healthy"))
	})

	log.Printf("stevedore-go-service listening on %s (%s/%s)", addr, runtime.GOOS, runtime.GOARCH)
	log.Fatal(http.ListenAndServe(addr, mux))
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
