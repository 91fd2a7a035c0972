package demo

import "strconv"

// The scheme name operations refer to in their security requirements.
const oaScheme = "oauth2"

// openAPIDocument describes the sample API served at base. It must say
// what the handlers do: openapi_test.go walks every operation against a
// live server and compares the paths with the routes the mux serves.
func openAPIDocument(base string) oaDocument {
	return oaDocument{
		OpenAPI: "3.1.0",
		Info: oaInfo{
			Title:   "keyhole demo sample API",
			Version: "1.0.0",
			Description: "The sample API of keyhole's built-in demo: a small catalogue of items behind OAuth 2.0 bearer tokens " +
				"issued by the demo's own authorization server, plus a few routes for trying how a client copes with big, " +
				"slow and failing answers. Every route needs an access token (Authorization: Bearer, or the access_token " +
				"query parameter of RFC 6750 §2.3). The fixed items are the same in every run; items created with POST " +
				"live as long as this demo server, the newest " + strconv.Itoa(maxCreatedItems) + " of them.",
		},
		Servers: []oaServer{{URL: base, Description: "This demo server; its port changes every time the demo starts."}},
		Tags: []oaTag{
			{Name: "account", Description: "The token in hand."},
			{Name: "items", Description: "The catalogue: " + strconv.Itoa(itemCount) + " fixed items, then those created in this run."},
			{Name: "diagnostics", Description: "Answers that test a client: big, slow, or with the status you ask for."},
		},
		Paths: ordered{
			{"/api/me", oaPathItem{Get: opGetMe()}},
			{"/api/items", oaPathItem{Get: opListItems(), Post: opCreateItem()}},
			{"/api/items/{id}", oaPathItem{Get: opGetItem(), Delete: opDeleteItem()}},
			{"/api/big", oaPathItem{Get: opGetBig()}},
			{"/api/slow", oaPathItem{Get: opGetSlow()}},
			{"/api/status/{code}", oaPathItem{Get: opGetStatus()}},
		},
		Components: oaComponents{
			Schemas:         oaSchemas(),
			Responses:       oaSharedResponses(),
			SecuritySchemes: ordered{{oaScheme, oaSecurity(base)}},
		},
	}
}

// needs is the security requirement of an operation: a token from the
// demo's OAuth 2.0 scheme carrying scopes.
func needs(scopes ...string) []ordered {
	if scopes == nil {
		scopes = []string{} // any token: "oauth2": []
	}
	return []ordered{{{oaScheme, scopes}}}
}

func ref(kind, name string) string { return "#/components/" + kind + "/" + name }

func schemaRef(name string) *oaSchema { return &oaSchema{Ref: ref("schemas", name)} }

func responseRef(name string) oaResponse { return oaResponse{Ref: ref("responses", name)} }

func jsonContent(s *oaSchema) ordered { return ordered{{"application/json", oaMediaType{Schema: s}}} }

// withErrors adds the error answers every operation can give: the token
// checks run before anything else, and a token sent both in the header and
// the query (or a bad parameter) is a 400.
func withErrors(r ordered, scoped bool) ordered {
	r = append(r, member{"400", responseRef("BadRequest")}, member{"401", responseRef("Unauthorized")})
	if scoped {
		r = append(r, member{"403", responseRef("Forbidden")})
	}
	return r
}

func opGetMe() *oaOperation {
	return &oaOperation{
		Tags:    []string{"account"},
		Summary: "Who the token belongs to",
		Description: "Answers with the token's subject, client, scopes, audience and expiry. Any valid access " +
			"token will do, whatever its scopes.",
		OperationID: "getMe",
		Responses:   withErrors(ordered{{"200", oaResponse{Description: "The token's owner and grant.", Content: jsonContent(schemaRef("Me"))}}}, false),
		Security:    needs(),
	}
}

func opListItems() *oaOperation {
	return &oaOperation{
		Tags:    []string{"items"},
		Summary: "List items, " + strconv.Itoa(itemsOnPage) + " a page",
		Description: "The " + strconv.Itoa(itemCount) + " fixed items first, then the items created in this run, oldest " +
			"first. A page past the end is empty. The Link header carries the next and previous pages.",
		OperationID: "listItems",
		Parameters: []oaParameter{{
			Name: "page", In: "query", Description: "The page, from 1.",
			Schema:  &oaSchema{Type: "integer", Minimum: intp(1), Default: 1},
			Example: 2,
		}},
		Responses: withErrors(ordered{{"200", oaResponse{
			Description: "One page of items.",
			Headers: ordered{{"Link", oaHeader{
				Description: `The next and previous pages, as <URL>; rel="next" and <URL>; rel="prev" (RFC 8288).`,
				Schema:      &oaSchema{Type: "string"},
			}}},
			Content: jsonContent(schemaRef("ItemList")),
		}}}, true),
		Security: needs("api:read"),
	}
}

func opCreateItem() *oaOperation {
	return &oaOperation{
		Tags:    []string{"items"},
		Summary: "Create an item",
		Description: "Stores a new item for as long as this demo server runs; when " + strconv.Itoa(maxCreatedItems) +
			" are stored, the oldest is dropped. It is in stock, priced in EUR, and listed after the fixed items.",
		OperationID: "createItem",
		RequestBody: &oaRequestBody{
			Description: "The new item. Unknown members are ignored.",
			Content: ordered{{"application/json", oaMediaType{
				Schema:  schemaRef("NewItem"),
				Example: ordered{{"name", "Brass Hinge"}, {"tags", []string{"hardware"}}, {"price", 12.5}},
			}}},
			Required: true,
		},
		Responses: withErrors(ordered{
			{"201", oaResponse{
				Description: "The item as stored, with its id.",
				Headers: ordered{{"Location", oaHeader{
					Description: "Where the new item is: /api/items/{id}.",
					Required:    true,
					Schema:      &oaSchema{Type: "string"},
				}}},
				Content: jsonContent(schemaRef("Item")),
			}},
			{"413", oaResponse{Description: "The body is larger than 1 MiB.", Content: jsonContent(schemaRef("Error"))}},
		}, true),
		Security: needs("api:write"),
	}
}

// idParameter is the {id} of /api/items/{id}.
func idParameter() []oaParameter {
	return []oaParameter{{
		Name: "id", In: "path", Required: true,
		Description: "The item's id: " + itemID(1) + " to " + itemID(itemCount) + " are the fixed items; created items follow.",
		Schema:      &oaSchema{Type: "string", Pattern: `^itm_[0-9]{4,}$`},
		Example:     "itm_0001",
	}}
}

func opGetItem() *oaOperation {
	return &oaOperation{
		Tags:        []string{"items"},
		Summary:     "Get an item",
		Description: "One item, fixed or created in this run.",
		OperationID: "getItem",
		Parameters:  idParameter(),
		Responses: withErrors(ordered{
			{"200", oaResponse{Description: "The item.", Content: jsonContent(schemaRef("Item"))}},
			{"404", responseRef("NotFound")},
		}, true),
		Security: needs("api:read"),
	}
}

func opDeleteItem() *oaOperation {
	return &oaOperation{
		Tags:    []string{"items"},
		Summary: "Delete an item",
		Description: "Deletes an item created in this run; afterwards its id answers 404. The fixed items " +
			"cannot be deleted: that is 405, with Allow: GET.",
		OperationID: "deleteItem",
		Parameters:  idParameter(),
		Responses: withErrors(ordered{
			{"204", oaResponse{Description: "Deleted."}},
			{"404", responseRef("NotFound")},
			{"405", oaResponse{
				Description: "The item is one of the fixed items, which cannot be deleted (error read_only).",
				Headers: ordered{{"Allow", oaHeader{
					Description: "The methods this item supports: GET.",
					Required:    true,
					Schema:      &oaSchema{Type: "string"},
				}}},
				Content: jsonContent(schemaRef("Error")),
			}},
		}, true),
		Security: needs("api:write"),
	}
}

func opGetBig() *oaOperation {
	return &oaOperation{
		Tags:    []string{"diagnostics"},
		Summary: "A big JSON answer",
		Description: "About mb MiB of JSON: an array of fixed-size records, streamed with a Content-Length. " +
			"The same mb gives the same bytes.",
		OperationID: "getBig",
		Parameters: []oaParameter{{
			Name: "mb", In: "query", Description: "The size in MiB, from 1 to 200.",
			Schema:  &oaSchema{Type: "integer", Minimum: intp(1), Maximum: intp(200), Default: 1},
			Example: 1,
		}},
		Responses: withErrors(ordered{{"200", oaResponse{
			Description: "The records.",
			Content:     jsonContent(&oaSchema{Type: "array", Items: schemaRef("BigRecord")}),
		}}}, true),
		Security: needs("api:read"),
	}
}

func opGetSlow() *oaOperation {
	return &oaOperation{
		Tags:        []string{"diagnostics"},
		Summary:     "A slow answer",
		Description: "Answers after ms milliseconds, or 503 if the server closes first.",
		OperationID: "getSlow",
		Parameters: []oaParameter{{
			Name: "ms", In: "query", Description: "How long to wait, from 0 to 60000 milliseconds.",
			Schema:  &oaSchema{Type: "integer", Minimum: intp(0), Maximum: intp(int(maxSlow.Milliseconds())), Default: 1000},
			Example: 250,
		}},
		Responses: withErrors(ordered{
			{"200", oaResponse{Description: "The wait is over.", Content: jsonContent(schemaRef("Waited"))}},
			{"503", oaResponse{Description: "The request was cancelled before the wait ended (error cancelled).", Content: jsonContent(schemaRef("Error"))}},
		}, true),
		Security: needs("api:read"),
	}
}

func opGetStatus() *oaOperation {
	return &oaOperation{
		Tags:    []string{"diagnostics"},
		Summary: "Any status you ask for",
		Description: "Answers with status code. 429 and 503 carry Retry-After: 1; 204 and 304 have no body; " +
			"every other status has a JSON body saying why.",
		OperationID: "getStatus",
		Parameters: []oaParameter{{
			Name: "code", In: "path", Required: true, Description: "The status to answer with, from 200 to 599.",
			Schema:  &oaSchema{Type: "integer", Minimum: intp(200), Maximum: intp(599)},
			Example: 418,
		}},
		Responses: withErrors(ordered{
			{"200", oaResponse{Description: "You asked for 200.", Content: jsonContent(schemaRef("Status"))}},
			{"default", oaResponse{
				Description: "The status you asked for.",
				Headers: ordered{{"Retry-After", oaHeader{
					Description: "Seconds to wait, with 429 and 503.",
					Schema:      &oaSchema{Type: "string"},
				}}},
				Content: jsonContent(schemaRef("Status")),
			}},
		}, true),
		Security: needs("api:read"),
	}
}

// oaSchemas are the bodies, named so operations and tools can share them.
func oaSchemas() ordered {
	str := func(desc string) *oaSchema { return &oaSchema{Type: "string", Description: desc} }
	integer := func(desc string) *oaSchema { return &oaSchema{Type: "integer", Description: desc} }
	strs := func(desc string) *oaSchema {
		return &oaSchema{Type: "array", Items: &oaSchema{Type: "string"}, Description: desc}
	}
	link := func(desc string) *oaSchema { return &oaSchema{Type: []string{"string", "null"}, Description: desc} }
	return ordered{
		{"Item", &oaSchema{
			Type: "object",
			Properties: ordered{
				{"id", &oaSchema{Type: "string", Pattern: `^itm_[0-9]{4,}$`, Examples: []any{"itm_0001"}}},
				{"name", str("")},
				{"tags", strs("")},
				{"price", &oaSchema{Type: "number", Minimum: intp(0)}},
				{"currency", &oaSchema{Type: "string", Const: "EUR"}},
				{"in_stock", &oaSchema{Type: "boolean"}},
				{"created_at", &oaSchema{Type: "string", Format: "date-time"}},
			},
			Required: []string{"id", "name", "tags", "price", "currency", "in_stock", "created_at"},
		}},
		{"NewItem", &oaSchema{
			Type: "object",
			Properties: ordered{
				{"name", &oaSchema{Type: "string", Description: "Not blank; leading and trailing spaces are trimmed.",
					Pattern: `\S`, MinLength: intp(1), MaxLength: intp(maxNameLen)}},
				{"tags", &oaSchema{Type: "array", Items: &oaSchema{Type: "string", MaxLength: intp(maxTagLen)}, MaxItems: intp(maxTags)}},
				{"price", &oaSchema{Type: "number", Minimum: intp(0), Description: "In EUR; 0 when left out."}},
			},
			Required: []string{"name"},
		}},
		{"ItemList", &oaSchema{
			Type: "object",
			Properties: ordered{
				{"items", &oaSchema{Type: "array", Items: schemaRef("Item")}},
				{"page", integer("")},
				{"per_page", integer("")},
				{"total", integer("The fixed items plus those created in this run.")},
				{"total_pages", integer("")},
				{"next", link("The next page's path, or null on the last page.")},
				{"prev", link("The previous page's path, or null on the first page.")},
			},
			Required: []string{"items", "page", "per_page", "total", "total_pages", "next", "prev"},
		}},
		{"Me", &oaSchema{
			Type: "object",
			Properties: ordered{
				{"sub", str("The subject: the client for client_credentials, else the user.")},
				{"username", str("The user's name; absent for client_credentials.")},
				{"client_id", str("")},
				{"scopes", strs("The scopes the token carries.")},
				{"audience", strs("")},
				{"expires_at", &oaSchema{Type: "string", Format: "date-time"}},
				{"expires_in", &oaSchema{Type: "integer", Minimum: intp(0), Description: "Seconds left."}},
			},
			Required: []string{"sub", "client_id", "scopes", "audience", "expires_at", "expires_in"},
		}},
		{"BigRecord", &oaSchema{
			Type: "object",
			Properties: ordered{
				{"index", integer("")},
				{"id", str("")},
				{"sku", str("")},
				{"name", str("")},
				{"quantity", integer("")},
				{"price", &oaSchema{Type: "number"}},
				{"active", &oaSchema{Type: "boolean"}},
				{"note", str("Filler that makes every record the same size.")},
			},
			Required: []string{"index", "id", "sku", "name", "quantity", "price", "active", "note"},
		}},
		{"Waited", &oaSchema{
			Type: "object",
			Properties: ordered{
				{"waited_ms", integer("")},
				{"message", str("")},
			},
			Required: []string{"waited_ms", "message"},
		}},
		{"Status", &oaSchema{
			Type: "object",
			Properties: ordered{
				{"status", integer("")},
				{"text", str("")},
				{"description", str("")},
			},
			Required: []string{"status", "text", "description"},
		}},
		{"Error", &oaSchema{
			Type: "object",
			Properties: ordered{
				{"error", str("A code such as invalid_token, insufficient_scope or not_found.")},
				{"error_description", str("What went wrong, for people.")},
			},
			Required: []string{"error"},
		}},
	}
}

// oaSharedResponses are the error answers many operations share.
func oaSharedResponses() ordered {
	challenge := func(desc string, required bool) ordered {
		return ordered{{"WWW-Authenticate", oaHeader{Description: desc, Required: required, Schema: &oaSchema{Type: "string"}}}}
	}
	return ordered{
		{"BadRequest", oaResponse{
			Description: "The request is malformed: a parameter or body is out of range (error invalid_request, " +
				"invalid_json or invalid_item), or the token was sent both in the Authorization header and as " +
				"access_token (error invalid_request, with a WWW-Authenticate challenge).",
			Headers: challenge(`Bearer realm="keyhole-demo", error="invalid_request", ... when the token was sent twice.`, false),
			Content: jsonContent(schemaRef("Error")),
		}},
		{"Unauthorized", oaResponse{
			Description: "No access token, or one that is unknown, forged, revoked, expired or meant for another audience.",
			Headers: challenge(`Bearer realm="keyhole-demo" when there is no token; with error="invalid_token" and `+
				`error_description when it was refused (RFC 6750 §3).`, true),
			Content: jsonContent(schemaRef("Error")),
		}},
		{"Forbidden", oaResponse{
			Description: "The token lacks the scope this operation needs (error insufficient_scope).",
			Headers:     challenge(`Bearer realm="keyhole-demo", error="insufficient_scope", ..., scope="the scope needed".`, true),
			Content:     jsonContent(schemaRef("Error")),
		}},
		{"NotFound", oaResponse{
			Description: "No item has this id: it was never created in this run, was deleted, or was dropped as one of the oldest.",
			Content:     jsonContent(schemaRef("Error")),
		}},
	}
}

// oaSecurity describes the demo's authorization server as the flows its
// clients really use. OpenAPI 3.1 has no flow for the device
// authorization grant (RFC 8628); x-deviceAuthorization gives it in the
// shape OpenAPI 3.2 later adopted as deviceAuthorization, and readers that
// do not know it ignore it.
func oaSecurity(base string) oaSecurityScheme {
	scopes := func(withOffline bool) ordered {
		s := ordered{
			{"api:read", "Read the sample API: everything but creating and deleting items."},
			{"api:write", "Create and delete items."},
		}
		if withOffline {
			s = append(s, member{"offline_access", "A refresh token along with the access token."})
		}
		return s
	}
	return oaSecurityScheme{
		Type: "oauth2",
		Description: "The demo's authorization server; its metadata is at " + base + "/.well-known/oauth-authorization-server. " +
			"Client credentials: client " + CCClientID + ", secret " + CCClientSecret + " (public, like the whole demo), " +
			"client_secret_basic or client_secret_post. Authorization code: public client " + PKCEClientID +
			", PKCE with S256 required, any http://127.0.0.1:PORT/callback redirect. Device authorization: public client " +
			DeviceClientID + ". Access tokens are ES256-signed JWTs.",
		Flows: ordered{
			{"clientCredentials", oaFlow{TokenURL: base + "/oauth2/token", Scopes: scopes(false)}},
			{"authorizationCode", oaFlow{
				AuthorizationURL: base + "/oauth2/auth",
				TokenURL:         base + "/oauth2/token",
				RefreshURL:       base + "/oauth2/token",
				Scopes:           scopes(true),
			}},
			{"x-deviceAuthorization", oaFlow{
				DeviceAuthorizationURL: base + "/oauth2/device_authorization",
				TokenURL:               base + "/oauth2/token",
				RefreshURL:             base + "/oauth2/token",
				Scopes:                 scopes(true),
			}},
		},
	}
}
