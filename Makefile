# The README's two commands, and a few more. CMake does the real work.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= 2
MAKEFLAGS += --no-print-directory

.PHONY: all run test deps build test-deps bench bench-full fuzz clean

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

build: deps
	@cmake -S . -B $(BUILD) -DANNALS_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Load the seed dataset into annals.db and print its timeline.
run: build
	@$(BUILD)/annals load --db annals.db data
	@$(BUILD)/annals report --db annals.db

# Every test, in a normal build and in an ASan + UBSan build; then the
# end-to-end tests again with every annals command under valgrind memcheck
# (any error or definite leak fails). The kill, concurrency and timing tests
# are left out of that pass: valgrind's slowness is what they would measure;
# so are the server's (file watching, a browser), which the ASan build checks.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
test: build test-deps
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@cmake -S . -B $(ASAN_BUILD) -DANNALS_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
	    -DANNALS_SANITIZE=address,undefined >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	@cd $(BUILD) && ANNALS_WRAPPER="$(VALGRIND)" ctest --output-on-failure -j $(JOBS) \
	    -R '^cli_' -E 'crash|concurrency|limits|serve'

# The benchmark: 10k and 100k events (bench-full adds 1M); writes bench/RESULTS.md.
bench: build
	@scripts/deps.sh bench
	@bench/run.sh $(BUILD)

bench-full: build
	@scripts/deps.sh bench
	@BENCH_FULL=1 bench/run.sh $(BUILD)

# libFuzzer targets (clang): FUZZ_SECONDS per target (default 60).
FUZZ_SECONDS ?= 60
fuzz: deps
	@scripts/deps.sh fuzz
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	    -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DANNALS_FUZZ=ON -DANNALS_TESTS=OFF \
	    -DANNALS_SANITIZE=address,undefined >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
