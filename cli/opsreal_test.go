package cli

import (
	"strings"
	"testing"
)

// What ops and call @id do with constructs met in published specs, each
// in a spec of the tests' own.

// TestOpsWebhooksOnlySaysWhy: a 3.1 spec of webhooks only (no paths)
// lists nothing, and says why on stderr, and call @ names the reason
// rather than sending the person to a list that is empty.
func TestOpsWebhooksOnlySaysWhy(t *testing.T) {
	h := newHarness(t)
	h.writeConfig("hooks.yaml", `openapi: 3.1.0
info: {title: Hooks, version: "1"}
webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200": {description: ok}
`)
	cfg := h.writeConfig("k.toml", staticConfig("st", "https://api.example.com", "static-tok-1", "openapi = \"hooks.yaml\"\n"))
	r := h.run("--config", cfg, "ops", "st")
	r.expect(t, 0, "ops st")
	if r.out != "" || !strings.Contains(r.errOut, "st: the spec lists no operation to send: it has only webhooks (newPet)") {
		t.Errorf("ops on a spec of webhooks only: stdout %q, stderr %q", r.out, r.errOut)
	}
	r = h.run("--config", cfg, "call", "st", "@newPet")
	if r.code != ExitUsage || !strings.Contains(r.errOut, "unknown operation @newPet: the spec lists no operation to send: it has only webhooks") {
		t.Errorf("call @newPet: exit %d, stderr %q", r.code, r.errOut)
	}
}
