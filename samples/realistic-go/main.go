// Command orders is the realistic Go sample: an orders API built from a few dozen third-party modules
// (chi, viper, zerolog, uuid, the Prometheus client and what they need), vendored so the build is offline.
package main

import (
	"context"
	_ "embed"
	"errors"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"example.com/orders/internal/config"
	"example.com/orders/internal/httpapi"
	"example.com/orders/internal/orders"
)

//go:embed config.yaml
var defaults []byte

// version is stamped by the build (-X main.version=…).
var version = "dev"

func main() {
	settings, err := config.Load(defaults, os.Args[1:])
	log := zerolog.New(os.Stdout).With().Timestamp().Str("service", "orders-go").Logger()
	if err != nil {
		log.Fatal().Err(err).Msg("reading settings")
	}
	if settings.Log.Format == "console" {
		log = log.Output(zerolog.ConsoleWriter{Out: os.Stdout})
	}
	if level, err := zerolog.ParseLevel(settings.Log.Level); err == nil {
		log = log.Level(level)
	}

	handler := httpapi.New(orders.NewStore(settings.Orders), log, httpapi.Options{
		Version:        version,
		RequestTimeout: settings.HTTP.RequestTimeout,
		CORSOrigins:    settings.HTTP.CORSOrigins,
	})
	server := &http.Server{
		Addr:              net.JoinHostPort(settings.Host, strconv.Itoa(settings.Port)),
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()

	log.Info().Str("addr", server.Addr).Str("version", version).Str("platform", runtime.GOOS+"/"+runtime.GOARCH).Msg("listening")
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal().Err(err).Msg("serving")
	}
}
