package spectest

// Items is the demo's sample API as an OpenAPI document, an operation
// per row with its method, path, operationId, summary and tag: small
// enough to read in a test that ranks typed words against it (getItem
// beside listItems, whose letters hold "get item" scattered).
const Items = `{"openapi": "3.1.0", "info": {"title": "Items", "version": "1"},
 "paths": {
  "/api/status/{code}": {"get": {"operationId": "getStatus", "summary": "Any status you ask for", "tags": ["diagnostics"]}},
  "/api/me": {"get": {"operationId": "getMe", "summary": "Who the token belongs to", "tags": ["account"]}},
  "/api/items": {
    "get": {"operationId": "listItems", "summary": "List items, 10 a page", "tags": ["items"]},
    "post": {"operationId": "createItem", "summary": "Create an item", "tags": ["items"]}},
  "/api/items/{id}": {
    "get": {"operationId": "getItem", "summary": "Get an item", "tags": ["items"]},
    "delete": {"operationId": "deleteItem", "summary": "Delete an item", "tags": ["items"]}}
 }}`
