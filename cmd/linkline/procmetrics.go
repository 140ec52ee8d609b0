package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// writeProcessMetrics writes the process's own health in the Prometheus
// text format, under the standard client_golang names a dashboard expects:
// go_goroutines, go_memstats_heap_alloc_bytes, go_memstats_heap_inuse_bytes,
// go_memstats_sys_bytes, go_gc_cycles_total and, where /proc exists (Linux),
// process_resident_memory_bytes and process_open_fds. A soak watches these
// stay flat.
func writeProcessMetrics(w io.Writer) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge := func(name, typ, help string, v float64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %g\n", name, help, name, typ, name, v)
	}
	gauge("go_goroutines", "gauge", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine()))
	gauge("go_memstats_heap_alloc_bytes", "gauge", "Number of heap bytes allocated and still in use.", float64(ms.HeapAlloc))
	gauge("go_memstats_heap_inuse_bytes", "gauge", "Number of heap bytes that are in use.", float64(ms.HeapInuse))
	gauge("go_memstats_sys_bytes", "gauge", "Number of bytes obtained from system.", float64(ms.Sys))
	gauge("go_gc_cycles_total", "counter", "Number of completed GC cycles.", float64(ms.NumGC))
	if rss, ok := residentBytes(); ok {
		gauge("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", float64(rss))
	}
	if n, ok := openFDs(); ok {
		gauge("process_open_fds", "gauge", "Number of open file descriptors.", float64(n))
	}
}

// residentBytes reads the resident set size from /proc/self/statm; ok is
// false where there is no such file.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// openFDs counts the entries of /proc/self/fd, less the one reading it;
// ok is false where there is no such directory.
func openFDs() (int, bool) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return 0, false
	}
	return len(names) - 1, true
}
