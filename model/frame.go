package model

import (
	"strings"

	collenv "github.com/keyhole-sh/keyhole/collection/env"
	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/document"
	"github.com/keyhole-sh/keyhole/internal/termtext"
	"github.com/keyhole-sh/keyhole/providers/secret"
	"github.com/keyhole-sh/keyhole/ui"
)

// frame is what viewers of a shared session draw: the presenter's session
// at one moment, masked for viewers whatever the presenter has revealed,
// as values no one changes once it is published. Each viewer lays it out
// at its own size, in its own components (viewer.go); nothing in it
// points into the presenter's components or sessions, except what never
// changes after it is made (an exchange, its laid-out documents, its
// redactor).
type frame struct {
	label string
	demo  bool
	env   *collenv.Layer

	items          []ui.ProviderItem
	cursor, active int
	focus          pane
	lastBottom     pane
	// single says the presenter sees one bottom pane at a time (then
	// lastBottom is the one); a wide presenter sees both.
	single bool

	token ui.TokenView
	req   reqFrame
	resp  respFrame

	reqTitle, respTitle string
	// op is the chosen operation's description, drawn at the presenter's
	// width, while it stands where the response does.
	op *boxed
	// help says the presenter's help is open; under is the presenter's
	// popup drawn where the request and response stand, masked.
	help  bool
	under *boxed
	// signIn names the provider whose sign-in waits for the presenter:
	// viewers are told so, and shown nothing of it.
	signIn string
	notice string
}

// reqFrame is the composer as viewers see it: every field masked.
type reqFrame struct {
	reqText
	field      ui.Field
	auth, note string
	sent       []string
}

// reqText is what the composer's fields hold.
type reqText struct{ method, path, headers, body string }

// respFrame is the response pane: the exchange and its documents (the
// viewer draws the masked ones), the toggles and the place.
type respFrame struct {
	ex             *exchange.Exchange
	docs, filtered docPair
	filter         string
	red            *secret.Redactor
	raw            bool
	headers        bool
	nowrap         bool
	top            int
	query          string
	// hits are the presenter's search hits, when they were found in the
	// document viewers draw (not in a revealed one).
	hits []document.Hit
}

// signInHidden is what viewers see of a sign-in in progress.
const signInHidden = "sign-in in progress on the presenter's screen"

// frame makes the frame viewers draw. It runs on the presenter's loop
// (publish), on a copy of the model whose redaction switch is on, so that
// every text below is made as a masked screen makes it.
func (m *Model) frame() *frame {
	v := *m
	v.redact, v.insp.redact = true, true
	hide := v.hiddenFromViewers()
	mask := m.viewerMask(hide)
	f := &frame{
		label: termtext.Line(m.opts.Label), demo: m.opts.Demo, env: m.env,
		items: m.providerItems(), cursor: m.list.Cursor(), active: m.list.Active(),
		focus: m.focus, lastBottom: m.lastBottom, single: m.layout().single,
		token:    v.tokenView(),
		reqTitle: m.requestTitle(), respTitle: m.responseTitle(),
		// The status line was written for the presenter's screen: with
		// secrets shown, it may say one (a captured credential).
		notice: termtext.Line(mask(m.notice)),
		req:    v.reqFrame(),
		resp:   v.respFrame(),
	}
	f.token = hideInTokenView(f.token, hide)
	f.token.Keys = nil // the presenter's keys: none of them acts for a viewer
	for _, e := range m.entries {
		if e.pending != nil {
			f.signIn = e.name
		}
	}
	if e := m.active(); e != nil && e.pending != nil {
		f.token.Expiry = signInHidden // the pane says where the sign-in is
	}
	if m.op != nil && m.op.shown {
		f.op = &boxed{title: "Operation", body: hide.Replace(m.opView(m.layout().respW - 2))}
	}
	if p := m.popups.top(); p != nil && p.kind == popHelp {
		f.help = true
	}
	if p := m.popups.bottom(); p != nil {
		f.under = v.viewerPopup(p, hide, mask, m.redact)
	}
	return f
}

// hiddenFromViewers masks what viewers must never read, whatever pane or
// notice quotes it: the join code, and a sign-in's address and user code
// (a viewer must not be able to approve the presenter's sign-in with an
// account of their own).
func (m *Model) hiddenFromViewers() *strings.Replacer {
	var pairs []string
	add := func(s string) {
		if len(s) >= 4 {
			pairs = append(pairs, s, "••••")
		}
	}
	if m.opts.Share != nil {
		code := m.opts.Share.JoinCode()
		add(code)
		add(strings.ReplaceAll(code, "-", ""))
	}
	for _, e := range m.entries {
		if p := e.pending; p != nil {
			add(p.CompleteURL)
			add(p.URL)
			add(p.Redirect)
			add(p.UserCode)
		}
	}
	return strings.NewReplacer(pairs...)
}

// viewerMask masks, for viewers, a text written for the presenter's
// screen: the status line, a popup. With secrets masked there, the
// active provider's redaction is all it takes (and costs a frame no more);
// with secrets shown (ctrl+r), the text may hold any secret the screen
// knows — the provider's, the response's, a variable's (the private env
// file's, a captured credential, which the status line and the picker
// name) — and all of them are masked.
func (m *Model) viewerMask(hide *strings.Replacer) func(string) string {
	e := m.active()
	if m.redact {
		if e != nil && e.Session != nil {
			return func(s string) string { return hide.Replace(e.Session.Redact(s)) }
		}
		return hide.Replace
	}
	red := m.viewerRedactor()
	return func(s string) string { return hide.Replace(red.Redact(s)) }
}

// viewerRedactor knows the secrets viewerMask masks with secrets shown.
func (m *Model) viewerRedactor() *secret.Redactor {
	var own secret.Redactor
	var sess *secret.Redactor
	name := ""
	if e := m.active(); e != nil {
		name = e.name
		if e.Session != nil {
			sess = e.Session.Redactor()
		}
	}
	for _, l := range m.varLayers(name) {
		for _, v := range l.Vars {
			if v.IsSecret() {
				own.Add(secret.New(v.Reveal()))
			}
		}
	}
	return own.Merge(sess, m.insp.red)
}

// hideInTokenView masks the hidden words in every text of a token view.
func hideInTokenView(v ui.TokenView, hide *strings.Replacer) ui.TokenView {
	v.Heading, v.Expiry, v.Error, v.Hint = hide.Replace(v.Heading), hide.Replace(v.Expiry), hide.Replace(v.Error), hide.Replace(v.Hint)
	for i, d := range v.Details {
		v.Details[i] = hide.Replace(d)
	}
	for i, w := range v.Warnings {
		v.Warnings[i] = hide.Replace(w)
	}
	return v
}

// reqFrame is the composer's fields as a masked composer shows them.
func (m *Model) reqFrame() reqFrame {
	c := &m.composer
	mask := func(f ui.Field) string { return m.composerMask(f, c.Value(f)) }
	path := mask(ui.FieldPath)
	var params []string
	for _, line := range strings.Split(mask(ui.FieldQuery), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			params = append(params, line)
		}
	}
	if len(params) > 0 {
		path += "?" + strings.Join(params, "&")
	}
	return reqFrame{
		reqText: reqText{method: c.Method, path: path, headers: mask(ui.FieldHeaders), body: mask(ui.FieldBody)},
		field:   c.Field, auth: m.authPreview(), sent: m.sentLines(),
		note: bodyNote(c.Value(ui.FieldHeaders), c.Value(ui.FieldBody)),
	}
}

// respFrame is the response pane as it stands.
func (m *Model) respFrame() respFrame {
	in := &m.insp
	r := respFrame{
		ex: in.ex, docs: in.docs, filtered: in.filtered, filter: in.filter, red: in.red,
		raw: in.raw, headers: in.headers, nowrap: in.nowrap, top: in.view.TopLine(), query: in.query,
	}
	if in.shown != nil && (in.shown == in.docs.masked || in.shown == in.filtered.masked) {
		r.hits = in.hits
	}
	return r
}

// viewerPopup is the presenter's popup p as viewers see it: drawn masked
// at the presenter's size (the viewer cuts or folds it to its own; a
// picker it lays out again), or a line that
// says a sign-in is under way; nil for what is the presenter's alone (who
// watches, and the question whether to disconnect them).
func (m *Model) viewerPopup(p *popup, hide *strings.Replacer, mask func(string) string, presenterRedact bool) *boxed {
	switch p.kind {
	case popSignIn:
		return &boxed{title: "Sign in", body: "The " + termtext.Line(p.entry) + " sign-in is in progress on the presenter's screen.\n\nIts address and code are shown only there.", prose: true}
	case popWatching, popDisconnect:
		return nil
	}
	if p.follow != nil && !presenterRedact {
		// The presenter revealed it: draw its masked form, and put the
		// presenter's back.
		p.follow(true)
		defer p.follow(false)
	}
	// The title's key hints are the presenter's: none of them acts for a
	// viewer.
	title := strings.NewReplacer(" · ↑/↓ scroll", "", " · esc closes", "").Replace(p.Title())
	b := &boxed{title: hide.Replace(title), body: mask(p.View()), prose: p.kind == popText}
	if pk, ok := p.Popup.(*ui.Picker); ok {
		// Taken while the masked rows are in place; each viewer lays out
		// a copy of its own.
		snap := pk.Snapshot()
		b.relayout = func(w, h int) string {
			q := snap.Snapshot()
			q.SetSize(w, h)
			return mask(q.View())
		}
	}
	return b
}
