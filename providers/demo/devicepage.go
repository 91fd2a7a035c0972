package demo

import (
	"html/template"
	"net/http"
)

// The /device page is where the person enters the user code (RFC 8628
// §3.3) and approves or denies. There are no real users: approving grants
// the request to demoUser.
//
// CSRF: the demo has no login, so a forged POST could not borrow anyone's
// session, but it could still approve a device flow an attacker started
// (the attacker knows the user code) in the name of whoever the demo
// stands for. Two cheap checks stop that. The approval form carries a
// csrf_token, an HMAC of the user code under a per-server key, which only
// a page read from this server holds; and http.CrossOriginProtection
// refuses POSTs that browsers mark as cross-origin (Sec-Fetch-Site,
// Origin). Like the consent page, the page also refuses to be framed.

// devicePageHTML has three steps: enter a code, confirm a request, done.
// It is parsed when shown, not at package init, to keep keyhole's start-up
// free of work it may never need.
const devicePageHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>keyhole demo · connect a device</title>
<style>body{font:16px system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em}
code{background:#eee;padding:0 .2em}button{font:inherit;padding:.4em 1.2em;margin-right:.5em}
input{font:1.4em ui-monospace,monospace;letter-spacing:.1em;width:9em;text-transform:uppercase}.error{color:#b00}</style></head>
<body>{{if eq .Step "confirm"}}<h1>Connect {{.Client}}?</h1>
<p>A device showing the code <code>{{.UserCode}}</code> asks for access. The keyhole demo server has no real users:
approving signs it in as <code>{{.User}}</code> and grants {{if .Scopes}}{{range $i, $s := .Scopes}}{{if $i}}, {{end}}<code>{{$s}}</code>{{end}}{{else}}no scopes{{end}}.</p>
<p>Approve only if your device shows this code.</p>
<form method="post" action="/device">
<input type="hidden" name="user_code" value="{{.UserCode}}"><input type="hidden" name="csrf_token" value="{{.CSRF}}">
<button name="action" value="approve" autofocus>Approve</button><button name="action" value="deny">Deny</button>
</form>{{else if eq .Step "done"}}<h1>{{.Title}}</h1>
<p>{{.Message}}</p>{{else}}<h1>Connect a device</h1>
{{if .Message}}<p class="error">{{.Message}}</p>
{{end}}<form method="get" action="/device">
<p><label>Enter the code your device shows:<br><input name="user_code" value="{{.UserCode}}" placeholder="XXXX-XXXX" autocomplete="off" autocapitalize="characters" spellcheck="false" autofocus></label></p>
<button>Continue</button>
</form>{{end}}</body></html>
`

// devicePage is the data of devicePageHTML.
type devicePage struct {
	Step     string // "enter", "confirm" or "done"
	Title    string
	Message  string
	UserCode string // as typed on "enter", XXXX-XXXX otherwise
	Client   string
	User     string
	Scopes   []string
	CSRF     string
}

// notPending is the message for a code with no pending request behind it.
const notPending = "No request is waiting for this code. Check it against your device; it may have expired or been used already, in which case start again there."

// handleDevicePage is GET /device: the code form, or, for the code in
// ?user_code=, the request waiting for approval.
func (s *Server) handleDevicePage(w http.ResponseWriter, r *http.Request) {
	typed, given := r.URL.Query()["user_code"]
	if !given {
		s.writeDevicePage(w, http.StatusOK, devicePage{Step: "enter"})
		return
	}
	raw := ""
	if len(typed) > 0 {
		raw = typed[0]
	}
	code := normalizeUserCode(raw)
	if code == "" {
		s.writeDevicePage(w, http.StatusBadRequest, devicePage{Step: "enter", UserCode: raw,
			Message: "That is not a device code: it has 8 letters, like BCDF-GHJK."})
		return
	}
	view, ok := s.store.pendingDevice(code, s.store.now())
	if !ok {
		s.writeDevicePage(w, http.StatusNotFound, devicePage{Step: "enter", UserCode: raw, Message: notPending})
		return
	}
	s.writeDevicePage(w, http.StatusOK, devicePage{
		Step:     "confirm",
		UserCode: formatUserCode(code),
		Client:   view.ClientID,
		User:     demoUser,
		Scopes:   view.Scopes,
		CSRF:     s.csrfToken(code),
	})
}

// handleDeviceDecision is POST /device: the person's Approve or Deny.
func (s *Server) handleDeviceDecision(w http.ResponseWriter, r *http.Request) {
	// The zero value has no trusted origins, which is what we want.
	if err := (&http.CrossOriginProtection{}).Check(r); err != nil {
		s.writeDevicePage(w, http.StatusForbidden, devicePage{Step: "enter",
			Message: "This form was sent from another site, so it was ignored. Enter the code here yourself."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeDevicePage(w, http.StatusBadRequest, devicePage{Step: "enter", Message: "The form could not be read."})
		return
	}
	raw := r.PostForm.Get("user_code")
	code := normalizeUserCode(raw)
	if code == "" || !s.checkCSRF(code, r.PostForm.Get("csrf_token")) {
		s.writeDevicePage(w, http.StatusForbidden, devicePage{Step: "enter", UserCode: raw,
			Message: "This approval did not come from this page's form. Enter the code again."})
		return
	}
	var approve bool
	switch r.PostForm.Get("action") {
	case "approve":
		approve = true
	case "deny":
	default:
		s.writeDevicePage(w, http.StatusBadRequest, devicePage{Step: "enter", UserCode: raw,
			Message: "Choose Approve or Deny."})
		return
	}
	if !s.store.decideDevice(code, approve, s.store.now()) {
		s.writeDevicePage(w, http.StatusNotFound, devicePage{Step: "enter", UserCode: raw, Message: notPending})
		return
	}
	if approve {
		s.writeDevicePage(w, http.StatusOK, devicePage{Step: "done", Title: "Device connected",
			Message: "You can close this page and return to your device."})
		return
	}
	s.writeDevicePage(w, http.StatusOK, devicePage{Step: "done", Title: "Request denied",
		Message: "The device gets no access. You can close this page."})
}

func (s *Server) writeDevicePage(w http.ResponseWriter, status int, data devicePage) {
	page, err := template.New("device").Parse(devicePageHTML)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", "device page: "+err.Error())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_ = page.Execute(w, data)
}
