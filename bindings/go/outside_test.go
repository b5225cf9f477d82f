package sympozium

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestOutsideProgram builds testdata/outside in a module of its own outside
// this tree (a go.mod that replaces this package with its directory), as a
// controller's repository would, and checks that it decides as the CLI
// (SYMPOZIUM_CLI) on the fixtures' samples under every preset, in both
// modes.
func TestOutsideProgram(t *testing.T) {
	cli := os.Getenv("SYMPOZIUM_CLI")
	if cli == "" {
		t.Skip("SYMPOZIUM_CLI (the sympozium-policy binary) is not set; ctest sets it")
	}
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example.com/outside\n\ngo 1.19\n\n" +
		"require github.com/sympozium-ai/libsympozium/bindings/go v0.0.0\n\n" +
		"replace github.com/sympozium-ai/libsympozium/bindings/go => " + here + "\n"
	main, err := os.ReadFile(filepath.Join("testdata", "outside", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{"go.mod": []byte(gomod), "main.go": main} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	program := filepath.Join(dir, "outside")
	build := exec.Command("go", "build", "-o", program, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of the outside program: %v\n%s", err, out)
	}

	samples, err := filepath.Glob(filepath.Join(testDataDir(), "fixtures", "sympozium", "samples", "*.yaml"))
	if err != nil || len(samples) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	sort.Strings(samples)
	presets := Presets()
	for _, mode := range []string{"strict", "compat"} {
		args := append([]string{"-mode", mode, strings.Join(presets, ",")}, samples...)
		got, err := exec.Command(program, args...).Output()
		if err != nil {
			t.Fatalf("outside program: %v", err)
		}
		lines := strings.Split(strings.TrimSpace(string(got)), "\n")
		if len(lines) != len(presets)*len(samples) {
			t.Fatalf("%d lines for %d presets x %d samples", len(lines), len(presets), len(samples))
		}
		for i, line := range lines {
			preset, sample := presets[i/len(samples)], samples[i%len(samples)]
			var stdout bytes.Buffer
			admit := exec.Command(cli, "admit", "--preset", preset, "--mode", mode, "--output", "json",
				"--allow-empty", sample)
			admit.Stdout = &stdout
			if err := admit.Run(); err != nil {
				if _, denied := err.(*exec.ExitError); !denied || admit.ProcessState.ExitCode() != 1 {
					t.Fatalf("%s admit %s: %v", cli, sample, err)
				}
			}
			want, have := verdicts(t, stdout.Bytes()), verdicts(t, []byte(line))
			if skippedOnly(want) {
				// admit skips a kind it does not evaluate (an Agent); asked to
				// evaluate it, the package answers an error, never allowed.
				for _, d := range have {
					if d["result"] != "error" || d["allowed"] != false {
						t.Errorf("%s under %s (%s): Go %v, want an error", sample, preset, mode, d)
					}
				}
			} else if !reflect.DeepEqual(want, have) {
				t.Errorf("%s under %s (%s):\n  CLI: %v\n  Go:  %v", sample, preset, mode, want, have)
			}
		}
	}
}

// verdicts keeps what the Go package reports of CLI admit JSON: one object
// or an array of them.
func verdicts(t *testing.T, text []byte) []map[string]any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(text, &list); err != nil {
		var one map[string]any
		if err := json.Unmarshal(text, &one); err != nil {
			t.Fatalf("not admit JSON: %s", text)
		}
		list = []map[string]any{one}
	}
	for _, d := range list {
		for key := range d {
			switch key {
			case "allowed", "result", "status", "code", "message", "violations", "skipped":
			default:
				delete(d, key)
			}
		}
	}
	return list
}

// skippedOnly: CLI admit JSON whose every entry is a skipped document.
func skippedOnly(list []map[string]any) bool {
	for _, d := range list {
		if d["skipped"] != true {
			return false
		}
	}
	return len(list) > 0
}
