package model

import (
	"fmt"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/collection"
	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/collection/runner"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/spec"
	"github.com/keyhole-sh/keyhole/ui"
)

// CollectionOptions say where a person's .http files are. With Patterns
// (the [settings] collections: files, folders, globs) they are found
// relative to Base, the config file's folder; with none, they are the
// .http files of WorkDir. Both empty: no collection.
type CollectionOptions struct {
	Patterns []string
	Base     string
	WorkDir  string
}

// configured reports whether there is anywhere to look for .http files.
func (o CollectionOptions) configured() bool {
	return len(o.Patterns) > 0 || o.WorkDir != ""
}

// home is the folder collection files are named relative to, in the
// picker and when saving: the config's, else the working folder.
func (o CollectionOptions) home() string {
	if len(o.Patterns) > 0 && o.Base != "" {
		return o.Base
	}
	return o.WorkDir
}

// collState is the collection as last loaded. The model holds one for
// the session, made in New and changed only in Update, as it holds its
// entries: the picker's rows follow it when a read lands.
type collState struct {
	loading bool
	files   []*httpfile.File
	// errs are the files that could not be read and the patterns that
	// found nothing.
	errs []string
}

// collOrigin is the .http request the composer was filled from: its
// file's @vars and # @secret names apply when it is sent, and its file
// parts are read then (the composer shows them as `< ./file` lines).
type collOrigin struct {
	file *httpfile.File
	req  httpfile.Request
	// body is the body as the composer got it: a body edited since is
	// sent as typed.
	body string
}

// collectionMsg is the collection, read off the UI loop.
type collectionMsg struct {
	files []*httpfile.File
	errs  []string
}

// loadCollectionCmd finds and parses the collection's files.
func loadCollectionCmd(o CollectionOptions) tea.Cmd {
	return func() tea.Msg {
		var paths []string
		var err error
		if len(o.Patterns) > 0 {
			paths, err = collection.Files(o.Base, o.Patterns)
		} else {
			paths, err = collection.WorkingFolder(o.WorkDir)
		}
		if err != nil {
			return collectionMsg{errs: []string{err.Error()}}
		}
		files, errs := collection.Load(paths)
		msg := collectionMsg{files: files}
		for _, e := range errs {
			msg.errs = append(msg.errs, e.Error())
		}
		return msg
	}
}

// wantCollection starts reading the collection again, unless a read is
// under way: each opening of the picker sees the files as they are now
// (edited in another window, or saved with S), while the last read's
// rows show at once.
func (m *Model) wantCollection() tea.Cmd {
	if !m.opts.Collection.configured() || m.coll.loading {
		return nil
	}
	m.coll.loading = true
	return loadCollectionCmd(m.opts.Collection)
}

// onCollection keeps the collection read, and puts it in the picker if it
// is open.
func (m Model) onCollection(msg collectionMsg) (tea.Model, tea.Cmd) {
	m.coll.loading, m.coll.files, m.coll.errs = false, msg.files, msg.errs
	if p := m.popups.find(popRequests); p != nil && p.follow != nil {
		p.follow(m.redact)
	}
	m.followSaveFiles()
	return m, nil
}

// collPick is a collection row of the picker: a request of a file, or a
// note (a block that does not parse, what is kept but not run, a file
// that could not be read) shown in full when chosen.
type collPick struct {
	file *httpfile.File
	req  int // in file.Requests; -1 for a note
	// title and note are the note's popup.
	title, note string
}

// collRows are the collection's rows in the requests picker: each file
// under its own heading, named relative to home, its requests in file
// order (method, the URL as written, the name), then a row for each block
// that does not parse and one for what is kept but not run. Everything
// drawn comes from the files, the person's own text or someone else's: it
// is made safe first, and a credential in a URL is masked while
// redacting.
func collRows(st *collState, home string, redact bool) ([]ui.PickerItem, []pick) {
	if st == nil {
		return nil, nil
	}
	var items []ui.PickerItem
	var picks []pick
	note := func(group, title, detail string, c *collPick) {
		items = append(items, ui.PickerItem{Group: group, Source: "file", Title: title, Detail: termtext.Line(detail)})
		picks = append(picks, pick{coll: c})
	}
	if st.loading && len(st.files) == 0 && len(st.errs) == 0 {
		note("Collection", "reading the .http files…", "", &collPick{req: -1})
	}
	for _, e := range st.errs {
		note("Collection", "unavailable", e, &collPick{req: -1, title: "Collection · unavailable", note: e})
	}
	for _, f := range st.files {
		file := termtext.Line(relName(home, f.Path))
		group := "Collection · " + file
		for i := range f.Requests {
			r := &f.Requests[i]
			target := r.URL
			if redact {
				target = secret.RedactURL(target)
			}
			items = append(items, ui.PickerItem{
				Group:  group,
				Source: "file",
				Parts: []ui.PickerPart{
					{Text: termtext.Line(r.Method), Look: ui.LookMethod, Width: methodW},
					{Text: termtext.Line(target)},
					{Text: termtext.Line(r.Name), Name: true},
					// The file, muted after a dot as a spec row's tags:
					// filtered, the rows stand without their headings,
					// and two files' "POST /api/items create" were one
					// row twice. It is matched too.
					{Text: file, Look: ui.LookMuted, Prefix: "· "},
				},
				// Ranked as a saved request is: the shorter URL first.
				Tie: len(r.URL) * (spec.MaxOperations + 1),
			})
			picks = append(picks, pick{coll: &collPick{file: f, req: i}})
		}
		for _, p := range f.Problems {
			note(group, "does not parse", fmt.Sprintf("line %d: %s", p.Line, p.Reason),
				&collPick{file: f, req: -1, title: "Collection · does not parse", note: p.Error()})
		}
		if len(f.NotRun) > 0 {
			var lines []string
			for _, n := range f.NotRun {
				lines = append(lines, fmt.Sprintf("%s:%d: %s: kept, not run", f.Path, n.Line, n.What))
			}
			lines = append(lines, "", "keyhole runs no JavaScript: a chain written in a handler needs # @capture NAME = PATH in keyhole.")
			what := "1 thing"
			if len(f.NotRun) > 1 {
				what = fmt.Sprintf("%d things", len(f.NotRun))
			}
			note(group, "kept, not run", what+" (enter for the list)",
				&collPick{file: f, req: -1, title: "Collection · kept, not run", note: strings.Join(lines, "\n")})
		}
	}
	return items, picks
}

// relName is path relative to home when it lies under it, else as it is.
func relName(home, path string) string {
	if home == "" {
		return path
	}
	rel, err := filepath.Rel(home, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// chooseColl acts on a collection row: a note opens in full; a request
// fills the composer — method, URL, headers and body as written, {{…}}
// left for the send to expand — and its provider (# @provider, a
// $auth.token in a header, else the one in use) becomes the one in use.
func (m Model) chooseColl(c *collPick) (tea.Model, tea.Cmd) {
	if c.req < 0 {
		if c.note == "" {
			m.notice = "the collection is still being read: o again in a moment"
			return m, nil
		}
		var lines []string
		for _, l := range strings.Split(c.note, "\n") {
			lines = append(lines, wrap(termtext.Line(l), m.layout().w-2)...)
		}
		m.openText(c.title, strings.Join(lines, "\n"))
		return m, nil
	}
	r := c.file.Requests[c.req]
	fallback := ""
	if a := m.active(); a != nil {
		fallback = a.name
	}
	owner, _ := runner.Owner(r, fallback)
	var cmd tea.Cmd
	where := fmt.Sprintf("%s:%d", relName(m.opts.Collection.home(), c.file.Path), r.Line)
	var said []string
	switch i := m.entries.index(owner); {
	case owner == "":
		said = append(said, "no provider: select one for its token")
	case i < 0:
		said = append(said, fmt.Sprintf("no provider %q here", owner))
	case i != m.list.Active():
		var nm tea.Model
		nm, cmd = m.selectProvider(i)
		m = nm.(Model)
	}
	var hdr []string
	for _, h := range r.Headers {
		hdr = append(hdr, h.Name+": "+h.Value)
	}
	m.op = nil
	m.composer.StopTyping()
	body := r.BodyText()
	m.composer.SetRequest(r.Method, r.URL, strings.Join(hdr, "\n"), body)
	m.from = &collOrigin{file: c.file, req: r, body: body}
	m.setFocus(paneRequest)
	name := r.Name
	if name == "" {
		name = r.Method + " " + r.URL
	}
	if len(said) == 0 {
		said = append(said, "ctrl+s sends it")
	}
	m.notice = termtext.Line(where + " " + name + ": " + strings.Join(said, "; "))
	return m, cmd
}

// requestTitle is the Request pane's title: the .http file and request
// the composer came from, whose @vars a send uses.
func (m *Model) requestTitle() string {
	if m.from == nil {
		return "Request"
	}
	title := "Request · " + relName(m.opts.Collection.home(), m.from.file.Path)
	if m.from.req.Name != "" {
		title += " · " + m.from.req.Name
	}
	return termtext.Line(title)
}
