package sympozium

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// BenchmarkEvaluate times one evaluation from Go (bytes in, a Decision with
// Go strings out) on the AgentRun the C++ family BM_AdmitAgentRunJson uses.
// With SYMPOZIUM_BENCH_CXX_NS set to that family's time per call (ns, as
// scripts/bench does from the same run) it also reports the ratio x_cxx.
func BenchmarkEvaluate(b *testing.B) {
	benchmarkEvaluate(b, "agentrun.json")
}

// BenchmarkEvaluatePod is the same for BM_PodEvalJson's pod
// (SYMPOZIUM_BENCH_CXX_POD_NS).
func BenchmarkEvaluatePod(b *testing.B) {
	benchmarkEvaluate(b, "pod.json")
}

func benchmarkEvaluate(b *testing.B, name string) {
	p := mustPreset(b, "restrictive")
	doc := benchData(b, name)
	// The decision the C++ family checks before it times anything.
	if d, err := p.Evaluate(doc); err != nil || !d.Allowed || d.Code != "" {
		b.Fatalf("%s under restrictive: %+v, %v", name, d, err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := p.Evaluate(doc); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	env := "SYMPOZIUM_BENCH_CXX_NS"
	if name == "pod.json" {
		env = "SYMPOZIUM_BENCH_CXX_POD_NS"
	}
	if cxx, err := strconv.ParseFloat(os.Getenv(env), 64); err == nil && cxx > 0 {
		perOp := float64(elapsed.Nanoseconds()) / float64(b.N)
		b.ReportMetric(perOp/cxx, "x_cxx")
	}
}
