package corpus

import (
	"reflect"
	"strings"
	"testing"
)

// TestDeterministic: the same entry number always gives the same text,
// so that benchmark numbers compare across runs and machines.
func TestDeterministic(t *testing.T) {
	if !reflect.DeepEqual(NewPost(42), NewPost(42)) || !reflect.DeepEqual(NewCaseStudy(7, 100), NewCaseStudy(7, 100)) {
		t.Fatal("the corpus is not deterministic")
	}
	if NewPost(1).Body == NewPost(2).Body {
		t.Fatal("two posts are the same")
	}
}

func TestShape(t *testing.T) {
	seen := map[string]bool{}
	for _, w := range Vocabulary {
		if seen[w] || w == NoMatch {
			t.Fatalf("%q twice in the vocabulary, or the no-match word", w)
		}
		seen[w] = true
	}
	if len(Vocabulary) != VocabularySize {
		t.Fatalf("%d words, want %d", len(Vocabulary), VocabularySize)
	}
	words, withTop := 0, 0
	for i := 1; i <= 200; i++ {
		p := NewPost(i)
		words += len(strings.Fields(p.Body))
		if strings.Contains(strings.ToLower(p.Body), " "+Vocabulary[0]+" ") {
			withTop++
		}
		if !strings.Contains(p.Body, RareWord(i)) || len(p.Tags) != 5 {
			t.Fatalf("post %d lacks its rare word or tags", i)
		}
	}
	if avg := words / 200; avg < 1300 || avg > 1700 {
		t.Errorf("posts have %d words on average, want about 1,500", avg)
	}
	if withTop != 200 {
		t.Errorf("the most common word is in %d of 200 posts, want all", withTop)
	}
	cs := NewCaseStudy(1, 10000)
	if n := len(strings.Fields(cs.Challenge + " " + cs.Solution + " " + cs.Results)); n < 1300 || n > 1700 {
		t.Errorf("a case study has %d words, want about 1,500", n)
	}
}
