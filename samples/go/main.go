// Command api is the Go sample: GET / answers which architecture the binary was built for.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"runtime"

	"example.com/greet"
)

// version is stamped by the build (-X main.version=…).
var version = "dev"

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}

	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"service":  "go-api",
			"arch":     runtime.GOARCH,
			"os":       runtime.GOOS,
			"version":  version,
			"greeting": greet.Hello("go api"),
		})
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("healthy"))
	})

	// Loopback only: the engine here has no bridge network, containers share the host's.
	addr := "127.0.0.1:" + port
	log.Printf("go-api %s (%s/%s) listening on %s", version, runtime.GOOS, runtime.GOARCH, addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
