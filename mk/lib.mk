# libsroscope: the user-space library (user/lib, the core; user/export,
# the exporter; user/lab, the what-if lab) as a static archive, built once
# per flavour: the tool's (build/ARCH), the unit tests' (sanitizers), the
# fuzzers' (libFuzzer). Commands (user/cmd) and tests link an archive, so
# the linker takes the modules they use and no list of them is kept.
#
#   $(call sroscope_lib,DIR,CC,CFLAGS,SOURCES,AR[,ORDER-ONLY])
#       DIR/libsroscope.a from SOURCES (user/.../*.c), objects in DIR/obj/
#       with their header dependencies (-MMD); DIR/obj/%.o from user/%.c
#       serves other objects too (the commands'); ORDER-ONLY: made
#       before any object (the headers of libbpf, say)

LIB_PARTS := lib export lab
LIB_SRCS := $(wildcard $(patsubst %,user/%/*.c,$(LIB_PARTS)))
LIB_INC := $(patsubst %,-Iuser/%,$(LIB_PARTS) cmd) -Iinclude

define sroscope_lib
$(1)/obj/%.o: user/%.c | $(6)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$(2) $(3) -MMD -MP -c $$< -o $$@
$(1)/libsroscope.a: $(patsubst user/%.c,$(1)/obj/%.o,$(4))
	$$(if $$(filter 0,$$(V)),@echo "  AR      $$@")
	$$(Q)rm -f $$@ && $(5) rcs $$@ $$^
-include $(patsubst user/%.c,$(1)/obj/%.d,$(4))
endef
