# make tracer-test: the tracer's books (bpf/sroscope.bpf.c) checked
# natively, on this host's kernel (tests/tracer/): sequences of SRO events
# through the tracer's own handlers (BPF_PROG_TEST_RUN), read back with
# sroscope's own snapshot code. Needs root and the x86_64 kernel's BTF;
# part of make test. Included by the Makefile after mk/bench.mk.

TRACER_TEST := build/tracer-test

$(TRACER_TEST)/books.bpf.o: tests/tracer/books.bpf.c bpf/sroscope.bpf.c bpf/maps.bpf.h \
		include/sroscope.h include/sro_vocab.h build/x86_64/vmlinux.h
	$(Q)mkdir -p $(@D)
	$(Q)clang $(BPF_CFLAGS_HOST) -c $< -o $@

$(TRACER_TEST)/books.skel.h: $(TRACER_TEST)/books.bpf.o $(BPFTOOL)
	$(Q)$(BPFTOOL) gen skeleton $< name books_bpf > $@

$(TRACER_TEST)/test_books: tests/tracer/test_books.c $(TRACER_TEST)/books.skel.h \
		build/x86_64/libsroscope.a $(LIBBPF_A)
	$(if $(filter 0,$(V)),@echo "  CC      $@")
	$(Q)gcc -O1 -g -Wall -Wextra -Wno-unused-parameter -I$(TRACER_TEST) $(LIB_INC) \
		-I$(BPFTOOLS)/include -o $@ $< build/x86_64/libsroscope.a $(LIBBPF_A) \
		-lcmocka $(USER_LIBS)

.PHONY: tracer-test
tracer-test:
	$(Q)$(MAKE) --no-print-directory kernel tools ARCH=x86_64
	$(Q)$(MAKE) --no-print-directory $(TRACER_TEST)/test_books ARCH=x86_64
	$(Q)if $(TRACER_TEST)/test_books >$(TRACER_TEST)/test_books.log 2>&1; then \
		echo "  PASS    $(TRACER_TEST)/test_books: $$(grep -c '^\[       OK \]' $(TRACER_TEST)/test_books.log) tests"; \
	else \
		cat $(TRACER_TEST)/test_books.log; echo "  FAIL    $(TRACER_TEST)/test_books"; exit 1; \
	fi
