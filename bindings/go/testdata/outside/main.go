// A program outside the repository that uses the Go package as any
// controller would, built by TestOutsideProgram against an installed
// prefix. For each file and preset it prints the decisions as
// `sympozium-policy admit --output json` does (an object for a file of one
// document, an array for several), one line per preset.
//
//	outside -mode strict|compat PRESET,... FILE...
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	sympozium "github.com/sympozium-ai/libsympozium/bindings/go"
)

type violation struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

type decision struct {
	Allowed    bool        `json:"allowed"`
	Result     string      `json:"result"`
	Status     int         `json:"status"`
	Code       string      `json:"code"`
	Message    string      `json:"message"`
	Violations []violation `json:"violations"`
}

// documents splits a YAML stream at its `---` lines, dropping parts that
// hold only comments (enough for the fixtures; the library reads each part).
func documents(text string) []string {
	var docs []string
	for _, part := range strings.Split("\n"+text, "\n---\n") {
		for _, line := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
				docs = append(docs, part)
				break
			}
		}
	}
	return docs
}

func evaluate(p *sympozium.Policy, file string, mode sympozium.Mode) (any, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	docs := documents(string(text))
	var out []decision
	for i, doc := range docs {
		name := file
		if len(docs) > 1 {
			name = fmt.Sprintf("%s#%d", file, i+1)
		}
		d, err := p.Evaluate([]byte(doc), sympozium.WithMode(mode), sympozium.WithSourceName(name))
		if err != nil {
			return nil, err
		}
		vs := make([]violation, 0, len(d.Violations))
		for _, v := range d.Violations {
			vs = append(vs, violation{v.Code, v.Message, v.Path})
		}
		out = append(out, decision{d.Allowed, d.Result.String(), d.Status, d.Code, d.Message, vs})
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return out, nil
}

func main() {
	modeName := flag.String("mode", "strict", "strict or compat")
	flag.Parse()
	mode := sympozium.Strict
	if *modeName == "compat" {
		mode = sympozium.Compat
	}
	for _, preset := range strings.Split(flag.Arg(0), ",") {
		p, err := sympozium.Preset(preset, sympozium.WithMode(mode))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, file := range flag.Args()[1:] {
			d, err := evaluate(p, file, mode)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			line, _ := json.Marshal(d)
			fmt.Println(string(line))
		}
		p.Close()
	}
}
