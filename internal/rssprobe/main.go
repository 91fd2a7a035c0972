// Command rssprobe measures what the body viewer costs the process that
// shows a large response: it generates a JSON body of about 50 MB, lays it
// out as an document.Document, draws the first frame of the ui/bodyview viewer at
// 120×40 and one scroll, then prints the times and the resident set
// (VmRSS and its peak VmHWM, from /proc/self/status) per MB of body.
//
//	go run ./internal/rssprobe [-objects 300000] [-raw]
//
// The body is generated in memory, as the HTTP client would have read it;
// the figures include it. Linux only (it reads /proc).
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/bigbody"
	"github.com/keyhole-sh/keyhole/ui"
	"github.com/keyhole-sh/keyhole/ui/bodyview"
)

func main() {
	objects := flag.Int("objects", bigbody.Objects50MB, "objects in the generated JSON array (300000 make about 50 MB)")
	raw := flag.Bool("raw", false, "lay the body out raw instead of pretty")
	flag.Parse()
	if err := run(*objects, *raw); err != nil {
		fmt.Fprintln(os.Stderr, "rssprobe:", err)
		os.Exit(1)
	}
}

func run(objects int, raw bool) error {
	base, _, err := rss()
	if err != nil {
		return err
	}
	body := bigbody.JSON(objects)
	mb := float64(len(body)) / 1e6
	withBody, _, _ := rss()

	mode := document.ModePretty
	if raw {
		mode = document.ModeRaw
	}
	start := time.Now()
	doc := document.Build(body, "application/json", mode)
	built := time.Since(start)
	st, keys := ui.NewStyles(true), ui.DefaultKeyMap()
	v := bodyview.New(&st.Body, keys.BodyKeys())
	v.SetDocument(doc, doc.Kind().String())
	v.SetSize(120, 40)
	frame := v.View()
	first := time.Since(start)
	start = time.Now()
	v.PageBy(1)
	_ = v.View()
	scroll := time.Since(start)

	now, peak, err := rss()
	if err != nil {
		return err
	}
	fmt.Printf("body            %.1f MB (%d bytes), %d lines laid out (%s)\n", mb, len(body), doc.Len(), doc.Kind())
	fmt.Printf("BuildDocument   %v\n", built.Round(time.Millisecond))
	fmt.Printf("first frame     %v after the body arrived (build + draw)\n", first.Round(time.Millisecond))
	fmt.Printf("one page down   %v\n", scroll.Round(time.Microsecond))
	fmt.Printf("RSS at start    %.1f MiB; with the body %.1f MiB\n", mib(base), mib(withBody))
	fmt.Printf("RSS now         %.1f MiB = %.2f MiB per MB of body (%.2f without the process's start)\n", mib(now), mib(now)/mb, mib(now-base)/mb)
	fmt.Printf("RSS peak        %.1f MiB = %.2f MiB per MB of body\n", mib(peak), mib(peak)/mb)
	if !strings.Contains(frame, "line 1/") {
		return fmt.Errorf("the first frame has no status row")
	}
	return nil
}

func mib(kb int64) float64 { return float64(kb) / 1024 }

// rss reads the resident set and its peak, in KiB.
func rss() (now, peak int64, err error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0, fmt.Errorf("reading the resident set needs Linux: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		switch name {
		case "VmRSS":
			now = kb
		case "VmHWM":
			peak = kb
		}
	}
	return now, peak, nil
}
