package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/collection/httpfile"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/ui"
)

// S in the Request pane saves the composed request into a .http file of
// the collection, or a new one: a file, then a name, then the block is
// appended (httpfile.Append: atomic, the rest of the file byte for byte).
// A secret is written as a {{variable}} and its value goes into
// http-client.private.env.json beside the file (savesecrets.go).

// pendingSave is a save between its questions: the request, checked, and
// the file once chosen.
type pendingSave struct {
	req  httpfile.Request
	path string
	// files are the picker's rows: the collection's files, then "new
	// file…" (an empty path).
	files []string
	// dropped says the header that carried the provider's own token,
	// which is never written.
	dropped string
}

// collSavedMsg is a save done, or why it failed.
type collSavedMsg struct {
	path, name string
	// secrets are the variables written to the private env file, file
	// is it and env the environment they went under.
	secrets   []string
	values    []secret.String
	file, env string
	dropped   string
	err       error
}

// openSaveRequest starts S: the composed request is checked first (what
// would not read back the same is refused, saying why), then the picker
// asks for a file.
func (m Model) openSaveRequest() (tea.Model, tea.Cmd) {
	req, dropped, err := m.composedForSave()
	if err != nil {
		m.notice = "not saved: " + err.Error()
		return m, nil
	}
	ps := &pendingSave{req: req, dropped: dropped}
	items := m.saveFiles(ps)
	m.save = ps
	m.open(&popup{Popup: ui.NewPicker(m.styles, m.keys.PickerKeys(), "Save the request to a .http file", items), kind: popSaveFile})
	return m, m.wantCollection()
}

// saveFiles are the rows of S's file picker, which ps.files follows: the
// collection's files as last read, then "new file…".
func (m *Model) saveFiles(ps *pendingSave) []ui.PickerItem {
	var items []ui.PickerItem
	home := m.opts.Collection.home()
	ps.files = nil
	for _, f := range m.coll.files {
		ps.files = append(ps.files, f.Path)
		items = append(items, ui.PickerItem{Group: "Save to", Source: "file", Title: termtext.Line(relName(home, f.Path)),
			Detail: fmt.Sprintf("%d requests", len(f.Requests))})
	}
	ps.files = append(ps.files, "")
	where := home
	if where == "" {
		where = "the working folder"
	}
	items = append(items, ui.PickerItem{Group: "Save to", Source: "file", Title: "new file…", Detail: termtext.Line("a path relative to " + where)})
	return items
}

// followSaveFiles puts the collection just read in S's file picker, if
// it is open.
func (m *Model) followSaveFiles() {
	p := m.popups.find(popSaveFile)
	if p == nil || m.save == nil {
		return
	}
	next := *m.save
	p.Popup.(*ui.Picker).Reset(m.saveFiles(&next))
	m.save = &next
}

// composedForSave is the composed request as a .http request: with the
// active provider's # @provider line (unless a $auth.token names its
// own), without a header that carries the provider's token (keyhole adds
// it on send; dropped names it).
func (m *Model) composedForSave() (httpfile.Request, string, error) {
	method, target, headerText, body := m.composer.Request()
	if strings.TrimSpace(target) == "" {
		return httpfile.Request{}, "", errors.New("the request has no URL")
	}
	fields, err := exchange.ParseHeaders(headerText)
	if err != nil {
		return httpfile.Request{}, "", err
	}
	req := httpfile.Request{Method: method, URL: target}
	var tok string
	e := m.active()
	if e != nil && e.tok != nil {
		tok = e.tok.Access.Reveal()
	}
	dropped := ""
	for _, f := range fields {
		if tok != "" && strings.Contains(f.Value, tok) {
			dropped = f.Name
			continue
		}
		req.Headers = append(req.Headers, httpfile.Header{Name: f.Name, Value: f.Value})
	}
	if strings.TrimSpace(body) != "" {
		req.Body = []httpfile.BodyPart{{Text: strings.TrimRight(body, "\n")}}
		if m.bodyFromFile(body) {
			req.Body = m.from.req.Body
		}
	}
	if _, viaAuth := authRefOwner(fields); !viaAuth && e != nil {
		req.Provider = e.name
	}
	if from := m.from; from != nil {
		req.Captures, req.Asserts, req.Secrets = from.req.Captures, from.req.Asserts, from.req.Secrets
	}
	if err := httpfile.Check(req); err != nil {
		return httpfile.Request{}, "", err
	}
	return req, dropped, nil
}

// saveStep acts on one of S's questions answered: the file (or a new
// one's path), then the name; then the save runs off the UI loop.
func (m Model) saveStep(p *popup, done bool) (tea.Model, tea.Cmd) {
	ps := m.save
	if !done || ps == nil {
		m.save = nil
		m.notice = "not saved"
		return m, nil
	}
	switch p.kind {
	case popSaveFile:
		i, ok := p.Popup.(*ui.Picker).Chosen()
		if !ok || i >= len(ps.files) {
			return m, nil
		}
		if ps.files[i] == "" {
			return m.savePrompt(popSavePath, "new file ", "path, like requests/items.http", "")
		}
		next := *ps
		next.path = ps.files[i]
		m.save = &next
		return m.savePrompt(popSaveName, "name ", "the request's name, after ###", m.suggestedRequestName())
	case popSavePath:
		path, err := m.newFilePath(p.Popup.(*ui.Prompt).Value())
		if err != nil {
			m.save = nil
			m.notice = "not saved: " + err.Error()
			return m, nil
		}
		next := *ps
		next.path = path
		m.save = &next
		return m.savePrompt(popSaveName, "name ", "the request's name, after ###", m.suggestedRequestName())
	}
	m.save = nil
	name := strings.TrimSpace(p.Popup.(*ui.Prompt).Value())
	req := ps.req
	req.Name = name
	if err := httpfile.Check(req); err != nil {
		m.notice = "not saved: " + err.Error()
		return m, nil
	}
	envName := collenv.Shared
	if env := m.varsEnv(); env != nil && env.Name != "" {
		envName = env.Name
	}
	var redact func(string) string
	if e := m.active(); e != nil && e.Session != nil {
		redact = e.Session.Redact
	}
	return m, saveRequestCmd(ps.path, req, envName, ps.dropped, redact)
}

// savePrompt asks one of S's questions where the request and response
// stand.
func (m Model) savePrompt(kind popupKind, label, placeholder, value string) (tea.Model, tea.Cmd) {
	p, cmd := ui.NewPrompt(m.styles, m.keys, label, placeholder, value)
	p.Suggest() // the request's own name, when it has one
	m.open(&popup{Popup: p, kind: kind})
	return m, cmd
}

// suggestedRequestName is the name of the request the composer came
// from, if any.
func (m *Model) suggestedRequestName() string {
	if m.from != nil {
		return m.from.req.Name
	}
	return ""
}

// newFilePath is a new collection file's path: relative to the config's
// folder (or the working folder), ".http" added when it has neither
// .http nor .rest.
func (m *Model) newFilePath(typed string) (string, error) {
	path := strings.TrimSpace(expandHome(typed))
	if path == "" {
		return "", errors.New("no file named")
	}
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".http" && ext != ".rest" {
		path += ".http"
	}
	if !filepath.IsAbs(path) {
		home := m.opts.Collection.home()
		if home == "" {
			return "", errors.New("no folder to save in: give an absolute path")
		}
		path = filepath.Join(home, path)
	}
	return path, nil
}

// saveRequestCmd writes the request's secrets to the private env file
// beside path, then appends its block to path. The secrets go first: the
// block names them, and a block naming a value that is nowhere would not
// send.
//
// redact is the provider's masker: a secret of its own (its client secret,
// its token) that lifting did not turn into a variable stops the save
// before anything is written.
func saveRequestCmd(path string, req httpfile.Request, envName, dropped string, redact func(string) string) tea.Cmd {
	return func() tea.Msg {
		msg := collSavedMsg{path: path, name: req.Name, env: envName, dropped: dropped}
		out, found := lift(req)
		// The masker masks credential fields wherever they stand, as a
		// zero Redactor does; what it masks beyond that is a value it
		// knows.
		if block := string(httpfile.Format(out)); redact != nil && redact(block) != (&secret.Redactor{}).Redact(block) {
			msg.err = errors.New("the request holds a secret of the provider's where keyhole cannot make it a {{variable}}: take it out first")
			return msg
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			msg.err = err
			return msg
		}
		if len(found) > 0 {
			file := filepath.Join(filepath.Dir(path), collenv.PrivateFile)
			names, err := storeSecrets(file, envName, found)
			if err != nil {
				msg.err = err
				return msg
			}
			out = renameLifted(out, found, names)
			msg.secrets, msg.file = names, file
			for _, f := range found {
				msg.values = append(msg.values, secret.New(f.value))
			}
		}
		if err := httpfile.Check(out); err != nil {
			msg.err = err
			return msg
		}
		msg.err = httpfile.Append(path, httpfile.Format(out))
		return msg
	}
}

// onCollSaved says where the request went, and reads the collection
// again so the picker lists it.
func (m Model) onCollSaved(msg collSavedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.notice = "not saved: " + msg.err.Error()
		return m, nil
	}
	name := msg.name
	if name == "" {
		name = "the request"
	}
	home := m.opts.Collection.home()
	var parts []string
	if len(msg.secrets) > 0 {
		// What matters most comes first: the status line is cut at the
		// screen's width.
		parts = append(parts, fmt.Sprintf("keep %s out of version control: %s went there (%s)",
			relName(home, msg.file), braced(msg.secrets), msg.env))
		// The environment was read at start: the values saved are this
		// session's variables too, so the request sends as it was saved.
		for i, n := range msg.secrets {
			m.setCapture(n, msg.values[i].Reveal(), true)
		}
	}
	parts = append(parts, fmt.Sprintf("saved %s to %s", name, relName(home, msg.path)))
	if msg.dropped != "" {
		parts = append(parts, msg.dropped+" not written: the provider adds its token")
	}
	m.notice = strings.Join(parts, " · ")
	return m, m.wantCollection()
}
