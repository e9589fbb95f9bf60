# make bench: the BPF cost per event natively on this host, the scrape
# cost, the allocation path with the series' events off against the same
# kernel with them compiled out (two kernels booted in turns), then the
# benchmarks inside the x86_64 VM (3 GiB), bpftrace included for the
# side-by-side comparison. Markdown on stdout.

BENCH_HOST := build/bench
BENCH_ROOT := build/x86_64/benchroot
BPF_CFLAGS_HOST := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Ibuild/x86_64 \
	-Iinclude -Ibpf -I$(BPFTOOLS)/include -Wall -Wno-unused-function

$(BENCH_HOST)/cost.bpf.o: tests/bench/cost.bpf.c bpf/sroscope.bpf.c bpf/maps.bpf.h \
		include/sroscope.h build/x86_64/vmlinux.h
	$(Q)mkdir -p $(@D)
	$(Q)clang $(BPF_CFLAGS_HOST) -c $< -o $@

$(BENCH_HOST)/cost.skel.h: $(BENCH_HOST)/cost.bpf.o $(BPFTOOL)
	$(Q)$(BPFTOOL) gen skeleton $< name cost_bpf > $@

$(BENCH_HOST)/bpf_cost: tests/bench/bpf_cost.c $(BENCH_HOST)/cost.skel.h $(LIBBPF_A)
	$(Q)gcc -O2 -g -Wall -I$(BENCH_HOST) -Iinclude -I$(BPFTOOLS)/include \
		-o $@ $< $(LIBBPF_A) -lelf -lz

# The exporter's scrape with large books: the tool's own library (the
# x86_64 build, this host's) over the same maps.
$(BENCH_HOST)/scrape_cost: tests/bench/scrape_cost.c build/x86_64/libsroscope.a \
		$(BENCH_HOST)/cost.skel.h $(LIBBPF_A)
	$(Q)gcc -O2 -g -Wall -I$(BENCH_HOST) $(LIB_INC) -I$(BPFTOOLS)/include \
		-o $@ $(filter %.c %.a,$^) $(USER_LIBS)

# The reader's side of a printed event: format and write, natively.
$(BENCH_HOST)/print_cost: tests/bench/print_cost.c build/x86_64/libsroscope.a
	$(Q)mkdir -p $(@D)
	$(Q)gcc -O2 -g -Wall $(LIB_INC) -o $@ $(filter %.c %.a,$^) $(USER_LIBS)

bench-deps:
	$(Q)scripts/install-deps.sh bpftrace wrk

bench: bench-deps
	$(Q)$(MAKE) --no-print-directory kernel tools ARCH=x86_64
	$(Q)$(MAKE) --no-print-directory $(BENCH_HOST)/bpf_cost $(BENCH_HOST)/scrape_cost \
		$(BENCH_HOST)/print_cost ARCH=x86_64
	$(Q)$(BENCH_HOST)/bpf_cost
	$(Q)echo
	$(Q)$(BENCH_HOST)/print_cost
	$(Q)echo
	$(Q)$(BENCH_HOST)/scrape_cost
	$(Q)echo
	$(Q)scripts/bench-disabled.sh
	$(Q)rm -rf $(BENCH_ROOT) && cp -a build/x86_64/vmroot $(BENCH_ROOT)
	$(Q)cp "$$(command -v bpftrace)" "$$(command -v wrk)" $(BENCH_ROOT)/bin/
	$(Q)cp tests/bench/*.bt $(BENCH_ROOT)/lib/sroscope/
	$(Q)VM_OVERLAY=$(BENCH_ROOT) VM_MEM=3G VM_TIMEOUT=2400 \
		scripts/vm-run.sh x86_64 'sroscope-bench'
