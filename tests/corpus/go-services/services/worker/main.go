package main

import (
	"fmt"
	"net/http"
	"os"
	"runtime"

	"example.com/shop/libs/shared"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "{\"service\":%q,\"arch\":%q}\n", shared.Greeting("worker"), runtime.GOARCH)
	})
	if err := http.ListenAndServe("127.0.0.1:"+port, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
