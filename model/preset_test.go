package model

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
)

// TestTUIPresetProvider: a provider whose endpoints come from a preset
// (Keycloak's, under the test server) gets its token where the preset
// points and sends it to its API, from the TUI as from the command line,
// and no frame shows the client secret.
func TestTUIPresetProvider(t *testing.T) {
	srv := exchangetest.NewRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/realms/shop/protocol/openid-connect/token":
			if id, sec, _ := r.BasicAuth(); id != "app" || sec != "preset-secret-8731" {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"error":"invalid_client"}`)
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"access_token": "preset-token-5521", "token_type": "Bearer", "expires_in": 3600})
		case r.URL.Path == "/api/items" && r.Header.Get("Authorization") == "Bearer preset-token-5521":
			fmt.Fprint(w, `{"items":["latch"]}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	testEnv(t)
	cfg := fmt.Sprintf("[providers.shop]\npreset = \"keycloak\"\nserver_url = %q\nrealm = \"shop\"\ngrant = \"client_credentials\"\nbase_url = %q\nclient_id = \"app\"\nclient_secret = \"${SHOP_SECRET}\"\n", srv.URL, srv.URL+"/api")
	b := configBackend(t, "preset.toml", cfg, map[string]string{"SHOP_SECRET": "preset-secret-8731"}, providers.SessionOptions{Now: func() time.Time { return fixedNow }})
	rec := record(t, b, Options{Label: "preset.toml", Redact: true}, 120, 40)
	rec.send(press("enter"))
	rec.m.composer.SetRequest("GET", "/items", "", "")
	rec.m.focus = paneRequest
	rec.send(press("ctrl+s"))
	view := plain(rec.m)
	if !strings.Contains(view, "latch") {
		t.Errorf("the answer is not shown:\n%s", view)
	}
	rec.noLeak("preset-secret-8731")
	var asked []string
	for _, r := range srv.All() {
		asked = append(asked, r.Method+" "+r.Path)
	}
	if strings.Join(asked, ",") != "POST /realms/shop/protocol/openid-connect/token,GET /api/items" {
		t.Errorf("the server was asked %v", asked)
	}
}
