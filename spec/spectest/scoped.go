package spectest

// ItemsScoped is the demo's shape with its OAuth scheme: reading under
// api:read, deleting (DELETE /api/items/{id}, deleteItem) under
// api:write. The tests of the 401/403 doctor on the command line and in
// the TUI hold a refusal against it.
const ItemsScoped = `{"openapi": "3.0.3", "info": {"title": "Items", "version": "1"},
 "components": {"securitySchemes": {"demo_oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"api:read": "", "api:write": ""}}}}}},
 "security": [{"demo_oauth": ["api:read"]}],
 "paths": {"/api/items/{id}": {
   "get": {"operationId": "getItem", "responses": {"200": {"description": "ok"}}},
   "delete": {"operationId": "deleteItem", "security": [{"demo_oauth": ["api:write"]}],
     "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
     "responses": {"204": {"description": "gone"}}}}}}`
