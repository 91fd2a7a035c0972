package document

import (
	"net/http"
	"strconv"
)

// hexPreviewBytes is how much of a binary body is shown: enough to
// recognise a format by its header, never the raw bytes themselves, which
// would garble the terminal.
const hexPreviewBytes = 4096

// hexPreview lays out a binary body as a line with its type and size, then
// a hexdump -C style dump of its first 4 KiB (offset, 16 bytes in hex,
// the same bytes as ASCII with '.' for the rest), then, when the body is
// longer, a line saying how much was left out.
func hexPreview(body []byte, contentType string) ([]byte, []uint32) {
	shown := body[:min(len(body), hexPreviewBytes)]
	mt := mediaType(contentType)
	if mt == "" || mt == "application/octet-stream" {
		mt = mediaType(http.DetectContentType(body))
	}
	out := make([]byte, 0, 128+(len(shown)+15)/16*80)
	out = append(out, "binary body · "...)
	out = append(out, mt...)
	out = append(out, " · "...)
	out = append(out, HumanSize(int64(len(body)))...)
	out = append(out, " ("...)
	out = strconv.AppendInt(out, int64(len(body)), 10)
	out = append(out, " bytes)"...)
	if len(body) > len(shown) {
		out = append(out, " · first 4 KiB shown"...)
	}
	const digits = "0123456789abcdef"
	for off := 0; off < len(shown); off += 16 {
		row := shown[off:min(off+16, len(shown))]
		out = append(out, '\n')
		for shift := 28; shift >= 0; shift -= 4 {
			out = append(out, digits[(off>>shift)&0xF])
		}
		out = append(out, ' ')
		for k := range 16 {
			if k == 8 {
				out = append(out, ' ')
			}
			if k < len(row) {
				out = append(out, ' ', digits[row[k]>>4], digits[row[k]&0xF])
			} else {
				out = append(out, "   "...)
			}
		}
		out = append(out, "  |"...)
		for _, c := range row {
			if c < 0x20 || c > 0x7E {
				c = '.'
			}
			out = append(out, c)
		}
		out = append(out, '|')
	}
	if rest := len(body) - len(shown); rest > 0 {
		out = append(out, "\n… "...)
		out = strconv.AppendInt(out, int64(rest), 10)
		out = append(out, " more bytes not shown"...)
	}
	return out, indexLines(out)
}
