package store

import (
	"strings"
	"testing"
)

func TestCutSnippet(t *testing.T) {
	mark := func(s string) string { return strings.NewReplacer("\x01", "[", "\x02", "]").Replace(s) }
	long := strings.Repeat("filler words go here. ", 30)
	for _, c := range []struct {
		text, q, want string
		n             int
	}{
		{"Kubernetes is not a database.", "kube", "[Kubernetes] is not a database", 1},
		{"Café au lait, CAFE noir.", "cafe ", "[Café] au lait, [CAFE] noir", 1},
		{long + "Then not a database at all. " + long, `"not a database"`, "…Then [not a database] at all. filler words go here. filler words go here. filler words go here. filler words go here. filler words…", 1},
		// The window with both phrases wins over the one with more of one.
		{"data data data data. " + long + "Of the data we keep. " + long, `"of the" data`, "…[Of the] [data] we keep. filler words go here. filler words go here. filler words go here. filler words go here. filler words go…", 2},
		// A match near the end keeps its place in the window.
		{long + "x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 kestrel x12 x13 x14 x15 x16 x17 x18 x19 x20 x21 x22 x23 heron end.", "kestrel heron ", "…x2 x3 x4 x5 x6 x7 x8 x9 x10 [kestrel] x12 x13 x14 x15 x16 x17 x18 x19 x20 x21 x22 x23 [heron] end", 2},
		{"Nothing here.", "kestrel", "", 0},
	} {
		got, n := cutSnippet(c.text, parseSearch(c.q), 24)
		if mark(got) != c.want || n != c.n {
			t.Errorf("%q in %.40q…:\n got %q (%d)\nwant %q (%d)", c.q, c.text, mark(got), n, c.want, c.n)
		}
	}
}

func TestTokenizeFoldsAsTheIndex(t *testing.T) {
	var got []string
	for _, tok := range tokenize("Ærøskøbing, CAFÉ-au-lait; x1 über_Größe 中文") {
		got = append(got, tok.word)
	}
	want := []string{"ærøskøbing", "cafe", "au", "lait", "x1", "uber", "große", "中文"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("tokens %q, want %q", got, want)
	}
}

// BenchmarkCutSnippet cuts a snippet from a 1,500-word text for a word it
// holds 150 times (as "the" in the benchmark corpus) and for one that is
// near its end.
func BenchmarkCutSnippet(b *testing.B) {
	words := strings.Fields("the of and to a in is for that with on data as it be are this by we from or an at not can database service")
	var sb strings.Builder
	for i := 0; i < 1500; i++ {
		if i%12 == 11 {
			sb.WriteString(". ")
		}
		sb.WriteString(words[(i*7+i/3)%len(words)])
		sb.WriteByte(' ')
	}
	text := sb.String() + "kubernetes."
	for _, q := range []string{"the", "kubernetes"} {
		m := parseSearch(q)
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, n := cutSnippet(text, m, snippetWords); n != 1 {
					b.Fatal("no match")
				}
			}
		})
	}
}
