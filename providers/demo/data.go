package demo

import (
	"fmt"
	"strconv"
	"time"
)

// The fixed sample items are computed from an item's number on every
// request: they are deterministic, cost nothing at start-up and need no
// shared state. Items created with POST live in the server's itemStore.

const (
	itemCount   = 57
	itemsOnPage = 10
	firstItemAt = 1704706200 // 2024-01-08T09:30:00Z, when item 1 was "created"
)

// item is one entry of /api/items.
type item struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Tags      []string `json:"tags"`
	Price     float64  `json:"price"`
	Currency  string   `json:"currency"`
	InStock   bool     `json:"in_stock"`
	CreatedAt string   `json:"created_at"`
}

// The word tables are only ever read.
var (
	itemAdjectives = [...]string{"Brass", "Walnut", "Copper", "Linen", "Slate", "Cedar", "Amber", "Cobalt", "Ivory", "Graphite", "Juniper"}
	itemNouns      = [...]string{"Key Ring", "Padlock", "Door Handle", "Hinge", "Latch", "Deadbolt", "Key Cabinet", "Mailbox", "Gate Lock"}
	itemTags       = [...]string{"hardware", "security", "outdoor", "indoor", "bestseller", "new", "eco", "limited"}
)

// itemID formats the id of item n (1-based).
func itemID(n int) string { return fmt.Sprintf("itm_%04d", n) }

// sampleItem returns item n (1-based), always the same.
func sampleItem(n int) item {
	tags := []string{itemTags[n%len(itemTags)]}
	if n%3 == 0 {
		tags = append(tags, itemTags[(n*5+1)%len(itemTags)])
	}
	return item{
		ID:        itemID(n),
		Name:      itemAdjectives[n%len(itemAdjectives)] + " " + itemNouns[(n*7)%len(itemNouns)],
		Tags:      tags,
		Price:     float64(499+(n*1237)%19500) / 100,
		Currency:  "EUR",
		InStock:   n%4 != 0,
		CreatedAt: time.Unix(firstItemAt, 0).UTC().Add(time.Duration(n-1) * 37 * time.Hour).Format(time.RFC3339),
	}
}

// itemPage is the body of GET /api/items.
type itemPage struct {
	Items      []item  `json:"items"`
	Page       int     `json:"page"`
	PerPage    int     `json:"per_page"`
	Total      int     `json:"total"`
	TotalPages int     `json:"total_pages"`
	Next       *string `json:"next"`
	Prev       *string `json:"prev"`
}

// sampleItemPage returns page (1-based) of the fixed items followed by
// created, which it copies from; past the end it is empty. The fixed
// items fill the first pages whatever was created, so those pages never
// change.
func sampleItemPage(page int, created []item) itemPage {
	total := itemCount + len(created)
	pages := (total + itemsOnPage - 1) / itemsOnPage
	p := itemPage{Items: []item{}, Page: page, PerPage: itemsOnPage, Total: total, TotalPages: pages}
	// Past the last page nothing is listed. Checking that first also keeps
	// (page-1)*itemsOnPage small: for a page near the int limit it would
	// overflow to a negative item number.
	if page <= pages {
		for n := (page-1)*itemsOnPage + 1; n <= min(page*itemsOnPage, total); n++ {
			if n <= itemCount {
				p.Items = append(p.Items, sampleItem(n))
			} else {
				p.Items = append(p.Items, created[n-itemCount-1])
			}
		}
	}
	link := func(n int) *string {
		s := "/api/items?page=" + strconv.Itoa(n)
		return &s
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	if page > 1 {
		p.Prev = link(min(page-1, pages))
	}
	return p
}

// bigRecordSize is the size of one record of /api/big including the
// ",\n" after it. Fixed-size records make the body's length known up front.
const bigRecordSize = 256

// bigBodyLen is the exact length of an /api/big body of n records:
// "[\n", records joined by ",\n", then "\n]\n".
func bigBodyLen(n int) int64 { return int64(n)*bigRecordSize + 3 }

// appendBigRecord appends record i (0-based) to b, exactly
// bigRecordSize-2 bytes of JSON object, padded with a note field.
func appendBigRecord(b []byte, i int) []byte {
	start := len(b)
	b = fmt.Appendf(b, `{"index":%d,"id":"rec_%07d","sku":"SKU-%05d","name":%q,"quantity":%d,"price":%d.%02d,"active":%t,"note":"`,
		i, i, (i*7919)%100000, itemAdjectives[i%len(itemAdjectives)]+" "+itemNouns[i%len(itemNouns)],
		(i*31)%500, 1+(i*13)%900, (i*17)%100, i%5 != 0)
	const filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua "
	pad := bigRecordSize - 2 - 2 - (len(b) - start) // 2 for ",\n", 2 for `"}`
	for k := range pad {
		b = append(b, filler[(i+k)%len(filler)])
	}
	return append(b, `"}`...)
}
