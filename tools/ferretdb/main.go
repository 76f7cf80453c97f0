// Command ferretdb runs FerretDB (MongoDB wire protocol) on its PostgreSQL backend for the local
// AeroAlpes platform. It embeds the github.com/FerretDB/FerretDB/ferretdb package instead of using
// FerretDB's own main, whose version check panics when built with `go install` (FerretDB issue 2982).
//
// Logs go to stderr. Once the listener accepts connections it logs a line with msg=ready and the
// address and MongoDB URI. SIGINT/SIGTERM stop it cleanly (exit 0); a second signal exits at once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

const ferretdbModule = "github.com/FerretDB/FerretDB"

// shutdownTimeout bounds how long Run may take to return after a stop signal
// (FerretDB gives connected clients a few seconds to disconnect).
const shutdownTimeout = 15 * time.Second

func main() {
	os.Exit(run())
}

func run() int {
	fs := flag.NewFlagSet("ferretdb", flag.ContinueOnError)
	listen := fs.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (host:port; port 0 picks a free port)")
	pgURL := fs.String("postgresql-url", "", "PostgreSQL connection URL, e.g. postgres://user:password@127.0.0.1:5432/ferretdb (required)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	showVersion := fs.Bool("version", false, "print the embedded FerretDB version and exit")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ferretdb -postgresql-url URL [-listen-addr HOST:PORT] [-log-level LEVEL]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "ferretdb: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *showVersion {
		fmt.Println(embeddedVersion())
		return 0
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: -log-level: %q is not one of debug, info, warn, error\n", *logLevel)
		return 2
	}
	if *pgURL == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: -postgresql-url: required (the PostgreSQL database FerretDB stores its data in)")
		return 2
	}
	if u, err := url.Parse(*pgURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		fmt.Fprintln(os.Stderr, "ferretdb: -postgresql-url: not a postgres:// URL")
		return 2
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: -listen-addr: %q is not host:port: %v\n", *listen, err)
		return 2
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	started := time.Now()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: *pgURL,
	})
	if err != nil {
		logger.Error("cannot start FerretDB", "listen", *listen, "error", err)
		return 1
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx) // always nil; returns after ctx is canceled and connections are closed
	}()

	// New has already bound the listener; MongoDBURI reports the actual port (useful with port 0).
	uri := f.MongoDBURI()
	logger.Info("ready", "uri", uri, "listen", strings.TrimSuffix(strings.TrimPrefix(uri, "mongodb://"), "/"),
		"version", embeddedVersion(), "startup", time.Since(started).Round(time.Millisecond).String())

	select {
	case <-ctx.Done():
	case <-done:
		logger.Error("FerretDB stopped unexpectedly")
		return 1
	}
	stop() // a second signal now terminates the process immediately
	logger.Info("stopping")

	select {
	case <-done:
		logger.Info("stopped")
		return 0
	case <-time.After(shutdownTimeout):
		logger.Error("shutdown timed out", "timeout", shutdownTimeout.String())
		return 1
	}
}

// embeddedVersion returns the FerretDB module version recorded in the binary.
func embeddedVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == ferretdbModule {
				if m.Replace != nil {
					return "FerretDB " + m.Replace.Version
				}
				return "FerretDB " + m.Version
			}
		}
	}
	return "FerretDB (unknown version)"
}
