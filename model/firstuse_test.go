package model

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/exchange/history"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/demo"
	"github.com/keyhole-sh/keyhole/ui"
)

// Screens a person meets in the first minutes, read as they read them.

// pickerRange is the picker's "A–B shown" and the rows (not headings) on
// screen.
var pickerRange = regexp.MustCompile(`(\d+) of (\d+) · (\d+)–(\d+) shown`)

// TestPickerRangeCountsRequestsNotHeadings: "20 of 20 · 1–25 shown" read
// as if there were 25 requests; the range counts the rows drawn, as the
// "of" does, whichever way the list is scrolled.
func TestPickerRangeCountsRequestsNotHeadings(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		wo := demoResponse(t, size[0], size[1])
		wo.m = run(t, wo.m, press("o"))
		for step := 0; step < 3; step++ {
			screen := plain(wo.m)
			rows := 0
			for _, line := range strings.Split(screen, "\n") {
				if strings.HasPrefix(line, "│> [") || strings.HasPrefix(line, "│  [") {
					rows++
				}
			}
			got := pickerRange.FindStringSubmatch(screen)
			if got == nil {
				t.Fatalf("%dx%d: no range on the picker:\n%s", size[0], size[1], screen)
			}
			first, _ := strconv.Atoi(got[3])
			last, _ := strconv.Atoi(got[4])
			total, _ := strconv.Atoi(got[2])
			if last-first+1 != rows || last > total {
				t.Errorf("%dx%d: %q with %d rows on screen:\n%s", size[0], size[1], got[0], rows, screen)
			}
			for range 12 {
				wo.m = run(t, wo.m, press("down"))
			}
		}
	}
}

// TestTooSmallSaysSoWithinTheWidth: at 40 columns the notice that the
// terminal is too small was cut mid-word, losing the terminal's size;
// it wraps at words, every line within the width.
func TestTooSmallSaysSoWithinTheWidth(t *testing.T) {
	wo := newWorld(t)
	for _, size := range [][2]int{{40, 12}, {30, 20}, {59, 30}} {
		wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		screen := plain(wo.m)
		for _, line := range strings.Split(screen, "\n") {
			if w := lipgloss.Width(line); w > size[0] {
				t.Errorf("%dx%d: a line %d wide: %q", size[0], size[1], w, line)
			}
		}
		flat := strings.Join(strings.Fields(screen), " ")
		want := fmt.Sprintf("this terminal is %d×%d.", size[0], size[1])
		if !strings.Contains(flat, want) || !strings.Contains(flat, "press q to quit") {
			t.Errorf("%dx%d: the notice lacks %q or how to leave:\n%s", size[0], size[1], want, screen)
		}
	}
}

// TestSignInFromTheProvidersPane: after enter on an interactive provider
// the cursor stays in the Providers pane while the Token pane says "press
// a to sign in"; a did nothing there. It signs in to the provider under
// the cursor, which becomes the one in use.
func TestSignInFromTheProvidersPane(t *testing.T) {
	for _, viaEnter := range []bool{true, false} {
		w, br := signInWorld(t, demo.Options{})
		i := -1
		for j, e := range w.m.entries {
			if e.name == "demo-pkce" {
				i = j
			}
		}
		w.m.list.SetCursor(i)
		if viaEnter {
			w.m = run(t, w.m, press("enter"))
			if !strings.Contains(plain(w.m), "press a to sign in") {
				t.Fatalf("no sign-in hint:\n%s", plain(w.m))
			}
		}
		if w.m.focus != paneProviders {
			t.Fatalf("focus %v, want the Providers pane", w.m.focus)
		}
		nm, cmd := w.m.Update(press("a"))
		w.m = nm.(Model)
		if e := w.m.active(); e == nil || e.name != "demo-pkce" || w.m.state(e) != providers.StateAwaitingUser {
			t.Fatalf("enter first %v: a in the Providers pane did not start demo-pkce's sign-in: state %s", viaEnter, w.m.state(e))
		}
		var wait tea.Cmd
		for _, msg := range drainWait(t, cmd, 5*time.Second) {
			nm, c := w.m.Update(msg)
			w.m, wait = nm.(Model), c
		}
		if !hasPopup(w.m, popSignIn) {
			t.Errorf("enter first %v: no sign-in shown:\n%s", viaEnter, plain(w.m))
		}
		<-br.opened
		w.m = update(t, w.m, press("esc"))
		drainWait(t, wait, 5*time.Second) // the wait ends, and its listener with it
	}
}

// TestFooterOffersOnlyKeysThatAct: the footer said "r new token" in the
// Request and Response panes, where r does nothing; it offers r where r
// acts.
func TestFooterOffersOnlyKeysThatAct(t *testing.T) {
	wo := demoResponse(t, 120, 40)
	for _, tc := range []struct {
		focus pane
		r     bool
	}{{paneProviders, true}, {paneToken, true}, {paneRequest, false}, {paneResponse, false}} {
		wo.m.setFocus(tc.focus)
		lines := strings.Split(plain(wo.m), "\n")
		footer := lines[len(lines)-1]
		if got := strings.Contains(footer, "r new token"); got != tc.r {
			t.Errorf("pane %v: footer %q offers r: %v, want %v", tc.focus, footer, got, tc.r)
		}
		if tc.r {
			continue
		}
		before := wo.tokenRequests()
		wo.m = run(t, wo.m, press("r"))
		if wo.tokenRequests() != before {
			t.Errorf("pane %v: r fetched a token; then the footer should offer it", tc.focus)
		}
	}
}

// searchScreen shows body (as contentType) in the response pane at w×h,
// presses the keys before, searches it for query and returns the screen
// while the prompt is open and after enter.
func searchScreen(t *testing.T, w, h int, body []byte, contentType, query string, before ...string) (typing, found string) {
	t.Helper()
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: w, Height: h})
	wo.m = run(t, wo.m, press("enter"))
	wo.m.ex = &exchange.Exchange{Response: &exchange.Response{Status: 200, StatusText: "OK", Header: http.Header{"Content-Type": {contentType}}, Body: body, Size: int64(len(body))}}
	wo.m.newBody(buildDocs(body, contentType, document.ModePretty, nil), nil)
	wo.m.setFocus(paneResponse)
	for _, k := range before {
		wo.m = run(t, wo.m, press(k))
	}
	wo.m = run(t, wo.m, press("/"))
	wo.typeText(query)
	typing = plain(wo.m)
	wo.m = run(t, wo.m, press("enter"))
	return typing, plain(wo.m)
}

// TestSearchCountSaysWhatItKnows: a search stops at document.MaxHits;
// the prompt said "100000 hits" (cut to "100000 h…" in the prompt's
// room) and the status "hit 1/100000" for a body with far more. It says
// "100000+", whole; and one hit is "1 hit".
func TestSearchCountSaysWhatItKnows(t *testing.T) {
	big := []byte(strings.Repeat("e e\n", document.MaxHits))
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		typing, found := searchScreen(t, size[0], size[1], big, "text/plain", "e")
		if !strings.Contains(typing, fmt.Sprintf("%d+ hits", document.MaxHits)) {
			t.Errorf("%dx%d: the prompt does not say %d+ hits, whole:\n%s", size[0], size[1], document.MaxHits, typing)
		}
		if !strings.Contains(found, fmt.Sprintf("hit 1/%d+", document.MaxHits)) {
			t.Errorf("%dx%d: the status does not count %d+ hits:\n%s", size[0], size[1], document.MaxHits, found)
		}
	}
	typing, found := searchScreen(t, 120, 40, []byte(`{"only": "needle"}`), "application/json", "needle")
	if !strings.Contains(typing, " 1 hit ") || strings.Contains(typing, "1 hits") {
		t.Errorf("one hit is not counted as one:\n%s", typing)
	}
	if !strings.Contains(found, "hit 1/1 ") {
		t.Errorf("the status does not count the one hit:\n%s", found)
	}
}

// TestSearchPastTheCapStaysWhereYouRead: at the end of a body with more
// hits than a search keeps, a search finds the hit on the screen, not
// the first of the body: the hits kept are counted from the top of the
// screen. It jumped to line 1, 150,000 lines away.
func TestSearchPastTheCapStaysWhereYouRead(t *testing.T) {
	var b strings.Builder
	for i := range document.MaxHits + 50_000 {
		fmt.Fprintf(&b, "row %d e\n", i)
	}
	_, found := searchScreen(t, 120, 40, []byte(b.String()), "text/plain", "e", "G")
	if !strings.Contains(found, fmt.Sprintf("row %d e", document.MaxHits+49_990)) || strings.Contains(found, "row 0 e") {
		t.Errorf("the search left the end of the body:\n%s", found)
	}
}

// TestWhyFixWrapsUnderItself: a fix too long for one line went on at
// two spaces, left of the "fix:" it belongs to (its indent was inside the
// colour, unseen by the folding); its wrapped lines stand under it.
func TestWhyFixWrapsUnderItself(t *testing.T) {
	var specGets atomic.Int32
	api := specAPI{spec: whySpec, challenge: insufficientWrite, gets: &specGets}.serve(t)
	m := refusedDelete(t, api)
	nm, cmd := m.Update(press("!"))
	m = nm.(Model)
	for _, out := range drainWait(t, cmd, 10*time.Second) {
		m = run(t, m, out)
	}
	lines := strings.Split(plain(m), "\n")
	fixes := 0
	for i, line := range lines {
		if !strings.HasPrefix(line, "│   fix: ") {
			continue
		}
		fixes++
		for _, next := range lines[i+1:] {
			if strings.TrimSpace(strings.Trim(next, "│")) == "" || strings.HasPrefix(strings.TrimLeft(next, "│"), "2. ") {
				break
			}
			if !strings.HasPrefix(next, "│     ") {
				t.Errorf("a fix's wrapped line stands left of it: %q\n%s", next, plain(m))
			}
		}
	}
	if fixes == 0 {
		t.Fatalf("no fix on screen:\n%s", plain(m))
	}
}

// TestEnvPickerLinesUpWhereEachIsWritten: the environment picker drew
// each name and then where it is written, two spaces on: "no environment
// the config as written", "staging  config", "prod  config", a ragged
// column. They stand in one column.
func TestEnvPickerLinesUpWhereEachIsWritten(t *testing.T) {
	srv := newEnvServer(t)
	m := envModel(t, newEnvWiring(t, envConfig(srv.URL)), "staging")
	m = run(t, m, press("e"))
	cols := map[string]int{}
	for _, line := range strings.Split(plain(m), "\n") {
		for _, name := range []string{"no environment", "staging", "prod"} {
			at := strings.Index(line, name+" ")
			if at < 0 || !strings.Contains(line, "config") {
				continue
			}
			cols[name] = lipgloss.Width(line[:strings.Index(line, "config")])
			if name == "no environment" {
				cols[name] = lipgloss.Width(line[:strings.Index(line, "the config")])
			}
		}
	}
	if len(cols) != 3 || cols["staging"] != cols["no environment"] || cols["prod"] != cols["no environment"] {
		t.Errorf("where each environment is written is not one column: %v\n%s", cols, plain(m))
	}
}

// TestHelpFooterSaysQuestionMarkCloses: over the help the footer offered
// "? help", and ? closes it; it says "? close", and ? does close it.
func TestHelpFooterSaysQuestionMarkCloses(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		wo := demoResponse(t, size[0], size[1])
		wo.m = run(t, wo.m, press("?"))
		lines := strings.Split(plain(wo.m), "\n")
		footer := lines[len(lines)-1]
		if strings.Contains(footer, "? help") || !strings.Contains(footer, "? close") {
			t.Errorf("%dx%d: the help's footer %q", size[0], size[1], footer)
		}
		wo.m = run(t, wo.m, press("?"))
		if hasPopup(wo.m, popHelp) {
			t.Errorf("%dx%d: ? did not close the help", size[0], size[1])
		}
	}
}

// TestPasteBoxFooterSaysWhatEnterAndEscDo: in the sign-in's paste box the
// footer said "enter choose • esc close"; enter sends the address and esc
// leaves the box, the sign-in still waiting. It says so, and esc does so.
func TestPasteBoxFooterSaysWhatEnterAndEscDo(t *testing.T) {
	w, _, wait, _ := pkceSignIn(t)
	w.m = update(t, w.m, press("enter"))
	lines := strings.Split(plain(w.m), "\n")
	footer := lines[len(lines)-1]
	if !strings.Contains(footer, "enter send the address") || !strings.Contains(footer, "esc leave the box") {
		t.Errorf("the paste box's footer: %q", footer)
	}
	w.m = update(t, w.m, press("esc"))
	if !hasPopup(w.m, popSignIn) || w.m.state(w.m.active()) != providers.StateAwaitingUser {
		t.Errorf("esc in the paste box ended the sign-in:\n%s", plain(w.m))
	}
	w.m = update(t, w.m, press("esc"))
	drainWait(t, wait, 5*time.Second)
}

// TestCurlPasteDropsItsBearerHeader: a pasted curl command's
// "Authorization: Bearer …" stayed in the composer, above the line of
// the token keyhole adds, and was not sent; the README says bearer
// headers are dropped. It is dropped, the status line says so, and the
// API gets the provider's token alone.
func TestCurlPasteDropsItsBearerHeader(t *testing.T) {
	testEnv(t)
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{}`)
	})
	b := configBackend(t, "k.toml", staticConfig("api", srv.URL), nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("enter"))
	r.m.setFocus(paneRequest)
	r.send(tea.PasteMsg{Content: `curl -X POST '` + srv.URL + `/items?x=1' -H 'Content-Type: application/json' -H 'Authorization: Bearer pasted-token-1234567890' -H 'X-Trace: 7' -d '{"n":1}'`})
	_, _, headers, _ := r.m.composer.Request()
	if strings.Contains(headers, "pasted-token") || strings.Contains(strings.ToLower(headers), "authorization") {
		t.Errorf("the composer kept the command's bearer header:\n%s", headers)
	}
	if !strings.Contains(headers, "X-Trace: 7") || !strings.Contains(headers, "Content-Type: application/json") {
		t.Errorf("the composer lost the command's other headers:\n%s", headers)
	}
	if !strings.Contains(r.m.notice, "dropped its Authorization: Bearer header") {
		t.Errorf("the status line does not say the header was dropped: %q", r.m.notice)
	}
	r.send(press("ctrl+s"))
	if sent := srv.Headers("Authorization"); strings.Join(sent, ",") != "Bearer t" {
		t.Errorf("the API got Authorization %q, want the provider's token alone", sent)
	}
	r.noLeak("pasted-token-1234567890")
}

// TestSecretsShownStaysInTheHeader: from 60 columns to about 70 the
// header had no room for its flags and dropped them, SECRETS SHOWN
// included, while ctrl+r showed the token in clear beside it. The label
// is cut instead, as for an environment.
func TestSecretsShownStaysInTheHeader(t *testing.T) {
	wo := newWorld(t)
	wo.m.opts.Label, wo.m.opts.Demo = "built-in demo (no config file found)", true
	wo.m = run(t, wo.m, press("enter"))
	wo.m = run(t, wo.m, press("ctrl+r"))
	everyWidth := func(how string) {
		for w := minWidth; w <= 120; w++ {
			wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: w, Height: 24})
			header := firstLine(plain(wo.m))
			if !strings.Contains(header, "SECRETS SHOWN") {
				t.Errorf("%s, at %d columns the header does not say secrets are shown: %q", how, w, header)
			}
			if lipgloss.Width(header) > w {
				t.Errorf("%s, at %d columns the header is %d wide: %q", how, w, lipgloss.Width(header), header)
			}
		}
	}
	everyWidth("alone")
	// Shared, in a dangerous environment with a long name, the flags
	// alone are wider than a narrow screen: cutting the label was not
	// enough, and the header drew the label alone, no flag at all.
	wo.m = shared(t, wo.m, newFakeShare(10))
	wo.m.env = &collenv.Layer{Name: strings.Repeat("production-", 4), Danger: true}
	everyWidth("shared")
}

// TestDeviceAddressIsNeverCut: the device sign-in said "On any device,
// open ADDRESS and enter the code" on one line, cut with "…" where it did
// not fit: a tenant's address at 80 columns, any at 60. The address
// stands on lines of its own, whole.
func TestDeviceAddressIsNeverCut(t *testing.T) {
	const path = "/activate/tenant-with-a-rather-long-name-0123456789/devices"
	m := signInOpen(t, &deviceIdP{verify: path}, &opener{})
	addr := m.active().pending.URL
	if !strings.HasSuffix(addr, path) {
		t.Fatalf("the sign-in's address is %q", addr)
	}
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 16}} {
		m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		var joined strings.Builder
		for _, line := range strings.Split(plain(m), "\n") {
			joined.WriteString(strings.TrimSpace(strings.Trim(line, "│")))
		}
		if !strings.Contains(joined.String(), addr) {
			t.Errorf("%dx%d: the device address is not whole on screen:\n%s", size[0], size[1], plain(m))
		}
		if !strings.Contains(plain(m), "WDJB-MJHT") {
			t.Errorf("%dx%d: the user code is not on screen:\n%s", size[0], size[1], plain(m))
		}
	}
}

// TestPickerNoHeadingOverNothing: scrolled so that a group's heading
// fell on the list's last line, the picker drew it over nothing, its
// rows below the fold. The line stays blank until they show.
func TestPickerNoHeadingOverNothing(t *testing.T) {
	heading := regexp.MustCompile(`^│(Saved requests|OpenAPI|Collection|Variables) ·`)
	wo := demoResponse(t, 80, 24)
	for height := minHeight; height <= 40; height++ {
		wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: 80, Height: height})
		wo.m = run(t, wo.m, press("o"))
		pickerHeadingsAbove(t, wo, heading)
		wo.m = run(t, wo.m, press("esc"))
	}
}

// pickerHeadingsAbove scrolls the open picker down row by row and fails
// when a heading is the list's last line.
func pickerHeadingsAbove(t *testing.T, wo *world, heading *regexp.Regexp) {
	t.Helper()
	for step := range 24 {
		lines := strings.Split(plain(wo.m), "\n")
		count := -1
		for i, line := range lines {
			if pickerRange.MatchString(line) || strings.Contains(line, " of 20 ·") {
				count = i
			}
		}
		if count < 2 {
			t.Fatalf("no count line:\n%s", plain(wo.m))
		}
		if last := lines[count-2]; heading.MatchString(last) {
			t.Errorf("step %d: a heading stands on the list's last line, over nothing:\n%s", step, plain(wo.m))
		}
		wo.m = run(t, wo.m, press("down"))
	}
}

// TestRevokeWithoutEndpointSaysItAll: x on a provider with no revocation
// endpoint said "NAME: revoke: the provider has no such endpoint (set
// revoke_url): keyhole can only forget a token this provider cannot
// revoke", cut on the status line even at 120 columns, before it said
// what became of the token. It fits at 80, and the token stays.
func TestRevokeWithoutEndpointSaysItAll(t *testing.T) {
	testEnv(t)
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) })
	b := configBackend(t, "k.toml", staticConfig("api", srv.URL), nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 80, 24)
	r.send(press("enter"))
	tok := r.m.active().tok
	r.m.setFocus(paneToken)
	r.send(press("x"))
	lines := strings.Split(plain(r.m), "\n")
	footer := lines[len(lines)-1]
	if r.m.notice == "" || !strings.Contains(footer, r.m.notice) || !strings.Contains(footer, "revoke_url") || !strings.Contains(footer, "token kept") {
		t.Errorf("the status line does not say it all: %q (notice %q)", footer, r.m.notice)
	}
	if r.m.active().tok != tok || tok == nil {
		t.Error("x without a revocation endpoint dropped the token")
	}
}

// TestSignInKeyOnAGrantWithoutOne: a in the Providers pane on a provider
// with nothing to sign in to says so and leaves the provider in use and
// the composer as they were.
func TestSignInKeyOnAGrantWithoutOne(t *testing.T) {
	w, _ := signInWorld(t, demo.Options{})
	w.selectByName("demo-pkce")
	_, path, _, _ := w.m.composer.Request()
	w.m.list.SetCursor(0) // demo-cc
	w.m = run(t, w.m, press("a"))
	if e := w.m.active(); e == nil || e.name != "demo-pkce" {
		t.Errorf("a on demo-cc changed the provider in use")
	}
	if _, now, _, _ := w.m.composer.Request(); now != path {
		t.Errorf("a on demo-cc replaced the composer: %q, was %q", now, path)
	}
	if !strings.Contains(w.m.notice, "demo-cc needs no sign-in") {
		t.Errorf("notice %q", w.m.notice)
	}
}

// TestHistoryOfAnotherProviderSaysHowItSends: an exchange reopened from
// history whose provider this config does not have (the demo's, another
// config's) said "ctrl+s sends it again", and ctrl+s answered "select a
// provider first". The status line says the provider is not here, and
// what ctrl+s will do.
func TestHistoryOfAnotherProviderSaysHowItSends(t *testing.T) {
	testEnv(t)
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) })
	hist, err := history.Open(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := hist.Add(history.Entry{Time: fixedNow, Provider: "demo-cc", Method: "GET", URL: srv.URL + "/api/me", Status: 200, StatusText: "OK"}); err != nil {
		t.Fatal(err)
	}
	b := configBackend(t, "k.toml", staticConfig("api", srv.URL), nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	b.History = hist
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("H"))
	r.send(press("enter"))
	if strings.Contains(r.m.notice, "ctrl+s sends it again") || !strings.Contains(r.m.notice, "demo-cc is not a provider here") || !strings.Contains(r.m.notice, "select one") {
		t.Errorf("with no provider in use, the notice is %q", r.m.notice)
	}
	r.m.setFocus(paneProviders)
	r.send(press("enter")) // api, in use
	r.send(press("H"))
	r.send(press("enter"))
	if !strings.Contains(r.m.notice, "ctrl+s sends it with api") {
		t.Errorf("with api in use, the notice is %q", r.m.notice)
	}
}

// TestTypingReplacesASuggestedName: s in the Response pane offers
// "response.json" and the cursor stood after it: typing a name made
// "response.jsonout.json", and S's name after the request's own
// ("EchoEcho again"). The first character typed replaces a suggestion;
// enter takes it as it is, and an editing key keeps it to edit.
func TestTypingReplacesASuggestedName(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m = run(t, w.m, press("ctrl+s"))
	w.m.setFocus(paneResponse)
	dir := t.TempDir()
	t.Chdir(dir)

	w.m = run(t, w.m, press("s"))
	w.typeText("out.json")
	w.m = run(t, w.m, press("enter"))
	if _, err := os.Stat(filepath.Join(dir, "out.json")); err != nil {
		t.Errorf("typing a name after s did not save to it: %v; notice %q", err, w.m.notice)
	}

	w.m = run(t, w.m, press("s"))
	w.m = run(t, w.m, press("enter")) // the suggestion as it is
	if _, err := os.Stat(filepath.Join(dir, "response.json")); err != nil {
		t.Errorf("enter did not take the suggested name: %v; notice %q", err, w.m.notice)
	}

	w.m = run(t, w.m, press("s"))
	w.m = run(t, w.m, tea.KeyPressMsg{Code: tea.KeyLeft})
	w.m = run(t, w.m, tea.KeyPressMsg{Code: tea.KeyLeft})
	w.m = run(t, w.m, tea.KeyPressMsg{Code: tea.KeyLeft})
	w.m = run(t, w.m, tea.KeyPressMsg{Code: tea.KeyLeft})
	w.m = run(t, w.m, tea.KeyPressMsg{Code: tea.KeyLeft})
	w.typeText("-2")
	w.m = run(t, w.m, press("enter"))
	if _, err := os.Stat(filepath.Join(dir, "response-2.json")); err != nil {
		t.Errorf("editing the suggestion did not keep it: %v; notice %q", err, w.m.notice)
	}
}

// TestCaptureWithAFilterThatMatchesNothing: C after a path filter that
// matches nothing said "f first", sending the person to do what they had
// just done; it says the filter matches nothing.
func TestCaptureWithAFilterThatMatchesNothing(t *testing.T) {
	wo := demoResponse(t, 120, 40)
	wo.m.setFocus(paneResponse)
	wo.m = run(t, wo.m, press("f"))
	wo.typeText("nothing.here")
	wo.m = run(t, wo.m, press("enter"))
	wo.m = run(t, wo.m, press("C"))
	if hasPopup(wo.m, popCapture) {
		t.Fatal("C opened the capture prompt on a filter that matches nothing")
	}
	if strings.Contains(wo.m.notice, "f first") || !strings.Contains(wo.m.notice, `nothing matches "nothing.here"`) {
		t.Errorf("notice %q", wo.m.notice)
	}
}

// TestAuthTokenOfAnotherProviderNamesIt: with demo-cc in use, a header
// {{$auth.token("demo-pkce")}} before demo-pkce signed in answered "no
// token, request not sent: needs login … (press a)", naming no provider
// (a acts on the one in use), and marked demo-pkce failed (✗) rather
// than needing a login (○). The answer names demo-pkce, which shows
// needs_login.
func TestAuthTokenOfAnotherProviderNamesIt(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter")) // demo-cc, in use
	w.m.composer.SetRequest("GET", "/api/me", `X-Tok: {{$auth.token("demo-pkce")}}`, "")
	w.m.setFocus(paneRequest)
	w.m = run(t, w.m, press("ctrl+s"))
	if w.m.ex == nil || w.m.ex.Err == nil {
		t.Fatal("sent without demo-pkce's token")
	}
	if got := w.m.ex.Err.Error(); !strings.Contains(got, "demo-pkce needs login") {
		t.Errorf("the answer does not name the provider that needs a login: %q", got)
	}
	pkce := w.m.entries.named("demo-pkce")
	if got := w.m.state(pkce); got != providers.StateNeedsLogin {
		t.Errorf("demo-pkce is %s, want needs_login", got)
	}
	if !strings.Contains(plain(w.m), "demo-pkce needs login") {
		t.Errorf("the screen does not say demo-pkce needs a login:\n%s", plain(w.m))
	}
}

// TestWhyHintNextToTheStatus: a 401's "! explains why" came after the
// timing breakdown, at the end of the line, and the Response pane cut it
// ("! expla…") beside the request at 120 columns. It stands next to the
// status.
func TestWhyHintNextToTheStatus(t *testing.T) {
	testEnv(t)
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_token"}`)
	})
	b := configBackend(t, "k.toml", staticConfig("api", srv.URL), nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 120, 40)
	r.send(press("enter"))
	r.m.composer.SetRequest("GET", "/me", "", "")
	r.m.setFocus(paneRequest)
	r.send(press("ctrl+s"))
	if r.m.ex == nil || r.m.ex.Response == nil || r.m.ex.Response.Status != 401 {
		t.Fatal("no 401")
	}
	r.m.ex.Response.Timing.DNS = 1500 * time.Microsecond // as a named host's answer has
	r.m.ex.Response.Timing.TLS = 42 * time.Millisecond
	r.send(nil)
	if screen := plain(r.m); !strings.Contains(screen, "401 Unauthorized · ! explains why") {
		t.Errorf("the 401's hint is not whole beside its status:\n%s", screen)
	}
}

// TestPasteOnAFieldGoesIn: in the Request pane, text pasted on a field
// not being edited (a URL on the path, a header) was dropped without a
// word; only a curl command did anything. It goes in, as after enter.
func TestPasteOnAFieldGoesIn(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	w.m.composer.SetRequest("GET", "", "Accept: application/json", "")
	w.m.setFocus(paneRequest)
	w.m.composer.Field = ui.FieldPath
	w.m = run(t, w.m, tea.PasteMsg{Content: "/api/items?page=3"})
	if _, path, _, _ := w.m.composer.Request(); path != "/api/items?page=3" {
		t.Errorf("the path after a paste on it: %q", path)
	}
	if !w.m.composer.Typing() {
		t.Error("the path is not being edited after the paste")
	}
	w.m = run(t, w.m, press("ctrl+s"))
	if w.m.ex == nil || w.m.ex.Response == nil || w.m.ex.Sent.URL.RawQuery != "page=3" {
		t.Fatal("the pasted path was not sent")
	}

	w.m.composer.Field = ui.FieldMethod
	w.m = run(t, w.m, tea.PasteMsg{Content: "POST"})
	if !strings.Contains(w.m.notice, "the method takes no paste") {
		t.Errorf("a paste on the method: notice %q", w.m.notice)
	}
}

// TestProvidersPaneSaysMoreAreOutOfSight: with more providers than the
// pane shows, the ones below (and, scrolled, above) were out of sight
// with nothing saying so. The title carries ↓ and ↑ while they are.
func TestProvidersPaneSaysMoreAreOutOfSight(t *testing.T) {
	testEnv(t)
	var cfg strings.Builder
	for i := range 10 {
		cfg.WriteString(staticConfig(fmt.Sprintf("p%02d", i), "http://127.0.0.1:9"))
	}
	b := configBackend(t, "k.toml", cfg.String(), nil, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	r := record(t, b, Options{Redact: true}, 80, 24)
	title := func() string {
		return strings.Split(plain(r.m), "\n")[1]
	}
	if got := title(); !strings.Contains(got, "Providers ↓") {
		t.Errorf("at the top, the title is %q", got)
	}
	for range 7 {
		r.send(press("down"))
	}
	if got := title(); !strings.Contains(got, "Providers ↑↓") {
		t.Errorf("in the middle, the title is %q", got)
	}
	for range 5 {
		r.send(press("down"))
	}
	if got := title(); !strings.Contains(got, "Providers ↑ ") || strings.Contains(got, "↓") {
		t.Errorf("at the bottom, the title is %q", got)
	}

	few := configBackend(t, "k.toml", staticConfig("one", "http://127.0.0.1:9"), nil, providers.SessionOptions{})
	r = record(t, few, Options{Redact: true}, 80, 24)
	if got := title(); strings.ContainsAny(got, "↑↓") {
		t.Errorf("with every provider in sight, the title is %q", got)
	}
}

// TestRefreshAnotherProviderSaysHowItWent: r in the Providers pane acts
// on the provider under the cursor; when another is in use, the Token
// pane goes on showing that one, and only the glyph changed: r read as
// doing nothing. The status line says how it went.
func TestRefreshAnotherProviderSaysHowItWent(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter")) // demo-cc, in use
	w.m.list.SetCursor(w.m.entries.index("demo-pkce"))
	w.m = run(t, w.m, press("r"))
	if got := w.m.notice; !strings.Contains(got, "demo-pkce: needs_login") {
		t.Errorf("r on demo-pkce: notice %q", got)
	}
	w.m.list.SetCursor(w.m.entries.index("demo-cc"))
	w.m = run(t, w.m, press("r"))
	if got := w.m.notice; got != "" {
		t.Errorf("r on the provider in use (the Token pane says how it went): notice %q", got)
	}
}

// TestEmptyPasteKeepsTheSignIn: enter opens the sign-in's paste box and
// enter again sends what is in it; with nothing in it, the nothing was
// sent and the sign-in ended in an error ("the pasted text is not a
// redirect"), to be started over. An empty box is left, the sign-in still
// waiting for the address, which then signs in.
func TestEmptyPasteKeepsTheSignIn(t *testing.T) {
	w, br, wait, authURL := pkceSignIn(t)
	w.m = run(t, w.m, press("enter"))
	w.m = run(t, w.m, press("enter"))
	if !hasPopup(w.m, popSignIn) {
		t.Fatalf("enter on an empty paste box closed the sign-in:\n%s", plain(w.m))
	}
	redirect := br.signIn(authURL)
	w.m = run(t, w.m, press("enter"))
	w.m = run(t, w.m, tea.PasteMsg{Content: redirect})
	w.m = run(t, w.m, press("enter"))
	for _, msg := range drainWait(t, wait, 5*time.Second) {
		w.m = update(t, w.m, msg)
	}
	if e := w.m.active(); e.tok == nil || w.m.state(e) != providers.StateValid {
		t.Errorf("no token after the address was pasted: state %s, err %v", w.m.state(e), e.err)
	}
}

// TestFilteredCollectionRowsSayTheirFile: filtered, the picker's rows
// stand without their headings, and two files' "POST /api/items create"
// read as one row twice; a file's name typed in the filter matched
// nothing. Each row names its file, and the name is matched.
func TestFilteredCollectionRowsSayTheirFile(t *testing.T) {
	dir := t.TempDir()
	block := "### create\nPOST http://127.0.0.1:9/api/items\n"
	writeFile(t, dir, "items.http", block)
	writeFile(t, dir, "saved.http", block)
	m := collModel(t, staticConfig("api", "http://127.0.0.1:9"), CollectionOptions{WorkDir: dir}, 120, 40)
	m = run(t, m, press("o"))
	m = typeKeys(t, m, "create")
	screen := plain(m)
	for _, file := range []string{"create · items.http", "create · saved.http"} {
		if !strings.Contains(screen, file) {
			t.Errorf("filtered, no row says %q:\n%s", file, screen)
		}
	}
	m = run(t, m, press("esc"))
	m = typeKeys(t, m, "saved.http")
	if screen := plain(m); !strings.Contains(screen, "create · saved.http") || strings.Contains(screen, "items.http") {
		t.Errorf("the filter saved.http:\n%s", screen)
	}
}

// TestTooSmallOnlyQuits: on a terminal too small to draw, the screen
// says "Enlarge it, or press q to quit", but keys went on acting on the
// panes not drawn: with the picker open q typed into its filter, and x in
// the Token pane revoked the token out of sight. q quits, and no other
// key acts.
func TestTooSmallOnlyQuits(t *testing.T) {
	w := newWorld(t)
	w.m = run(t, w.m, press("enter"))
	tok := w.m.active().tok
	w.m.setFocus(paneToken)
	w.m = update(t, w.m, tea.WindowSizeMsg{Width: 40, Height: 12})
	w.m = run(t, w.m, press("x"))
	if w.m.active().tok != tok {
		t.Error("x on a screen too small to draw revoked the token")
	}
	// Nor a paste: on the Request pane it went into a field not drawn (a
	// curl command replaced the whole request), in the picker into its
	// filter.
	w.m.setFocus(paneRequest)
	_, path, _, _ := w.m.composer.Request()
	for _, text := range []string{"/api/other", "curl -X DELETE https://api.example/items/1"} {
		w.m = run(t, w.m, tea.PasteMsg{Content: text})
		if method, now, _, _ := w.m.composer.Request(); now != path || method != "GET" || w.m.composer.Typing() {
			t.Errorf("a paste of %q on a screen too small to draw reached the composer: %s %q", text, method, now)
		}
	}
	w.m = update(t, w.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	w.m = run(t, w.m, press("o"))
	w.m = update(t, w.m, tea.WindowSizeMsg{Width: 40, Height: 12})
	w.m = run(t, w.m, tea.PasteMsg{Content: "items"})
	if p := w.m.popups.top(); p == nil || p.Popup.(*ui.Picker).Filter() != "" {
		t.Error("a paste on a screen too small to draw went into the picker's filter")
	}
	// Nor the wheel: it moved the picker's cursor out of sight.
	at := w.m.popups.top().Popup.(*ui.Picker).Cursor()
	w.m = update(t, w.m, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if now := w.m.popups.top().Popup.(*ui.Picker).Cursor(); now != at {
		t.Errorf("the wheel on a screen too small to draw moved the picker's cursor from row %d to %d", at, now)
	}
	_, cmd := w.m.Update(press("q"))
	if !quits(t, cmd) {
		t.Error("q on a screen too small to draw did not quit (with the picker open)")
	}
}
