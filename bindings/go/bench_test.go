package sympozium

import (
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// processCPU is the user and system time the process has used (every
// thread: the cgo calls, the Go runtime and its collector).
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkEvaluate times one evaluation from Go (bytes in, a Decision with
// Go strings out) on the AgentRun the C++ family BM_AdmitAgentRunJson uses.
// It reports the CPU time per call (cpu-ns/op) and, with
// SYMPOZIUM_BENCH_CXX_NS set to that family's CPU time per call (ns, as
// scripts/bench does from the same run), the ratio x_cxx.
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
	cpuStart := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := p.Evaluate(doc); err != nil {
			b.Fatal(err)
		}
	}
	cpu := processCPU() - cpuStart
	b.StopTimer()
	// CPU time, as the C++ figure is: on a busy machine wall time mostly
	// measures the other processes.
	perOp := float64(cpu.Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp, "cpu-ns/op")
	env := "SYMPOZIUM_BENCH_CXX_NS"
	if name == "pod.json" {
		env = "SYMPOZIUM_BENCH_CXX_POD_NS"
	}
	if cxx, err := strconv.ParseFloat(os.Getenv(env), 64); err == nil && cxx > 0 {
		b.ReportMetric(perOp/cxx, "x_cxx")
	}
}
