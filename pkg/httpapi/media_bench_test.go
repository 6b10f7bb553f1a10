package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"sync"
	"testing"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
)

// photoJPEG is a 4000×3000 JPEG of about 5 MB (a camera's photo: smooth
// shapes and grain), made once.
var photoJPEG = sync.OnceValue(func() []byte {
	w, h := 4000, 3000
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			i := m.PixOffset(x, y)
			base := 128 + 60*math.Sin(float64(x)/300) + 50*math.Cos(float64(y)/200+float64(x)/900)
			for c := range 3 {
				m.Pix[i+c] = uint8(max(0, min(255, base+float64(c*20)+float64(r.IntN(81)-40))))
			}
			m.Pix[i+3] = 255
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// withComment returns the JPEG with a comment segment after its start
// marker: other bytes (a new item), the same picture.
func withComment(img []byte, n int) []byte {
	c := fmt.Sprintf("folio bench %d", n)
	seg := []byte{0xff, 0xfe, byte((len(c) + 2) >> 8), byte(len(c) + 2)}
	out := append(append(append([]byte{}, img[:2]...), seg...), c...)
	return append(out, img[2:]...)
}

func postUpload(b *testing.B, base, token string, data []byte) mediaItem {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "photo.jpg")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/admin/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Data mediaItem }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 201 {
		b.Fatalf("upload: %d %v", res.StatusCode, err)
	}
	return out.Data
}

type mediaItem struct {
	URL string `json:"url"`
}

func getBody(b *testing.B, url, rng string, want int) int64 {
	req, _ := http.NewRequest("GET", url, nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != want {
		b.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
	return n
}

// BenchmarkMedia measures, over real HTTP and on each media store, the
// upload of a 5 MB JPEG (sniffing, decoding, three variants, storing four
// files, the row), the first serve of it, and a ranged read of 64 KiB from
// its middle. See docs/PERFORMANCE.md (Media on S3).
func BenchmarkMedia(b *testing.B) {
	photo := photoJPEG()
	for _, store := range mediaStores {
		b.Run(store, func(b *testing.B) {
			e := newEnv(b, onStore(b, store), func(c *config.Config) { c.MaxUpload = 20 << 20 })
			base := e.serve()
			token := e.tokens[auth.RoleEditor]
			n := 0
			b.Run("upload_5MB_jpeg", func(b *testing.B) {
				b.SetBytes(int64(len(photo)))
				for b.Loop() {
					n++
					postUpload(b, base, token, withComment(photo, n))
				}
			})
			it := postUpload(b, base, token, withComment(photo, -1))
			url := base + mediaPath(it.URL)
			b.Run("first_serve_5MB", func(b *testing.B) {
				b.SetBytes(int64(len(photo)))
				for b.Loop() {
					if got := getBody(b, url, "", 200); got < 5_000_000 {
						b.Fatalf("%d bytes", got)
					}
				}
			})
			b.Run("range_64KiB", func(b *testing.B) {
				b.SetBytes(64 << 10)
				for b.Loop() {
					if got := getBody(b, url, "bytes=2500000-2565535", 206); got != 64<<10 {
						b.Fatalf("%d bytes", got)
					}
				}
			})
		})
	}
}
