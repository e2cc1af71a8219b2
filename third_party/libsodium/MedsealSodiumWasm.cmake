# SPDX-License-Identifier: Apache-2.0
# libsodium 1.0.18 for WebAssembly, compiled from Debian's source package
# (the third-party unit third_party/libsodium/; README.md beside this file).
#
# medseal_add_sodium_wasm() (Emscripten builds only) defines the STATIC
# library medseal_sodium_wasm and its alias medseal::sodium:
#   - the source comes from fetch.sh beside this file (pinned Debian version,
#     SHA-256 checked, Debian patches incl. CVE-2025-69277 applied), run at
#     configure time into ${CMAKE_BINARY_DIR}/_deps/libsodium unless that tree
#     is already there (its stamp file is newer than the script);
#   - no autotools: every src/libsodium/**/*.c is compiled directly with the
#     defines that libsodium's configure finds for Emscripten (x86-only files
#     compile to nothing; the two native randombytes back ends are left out as
#     in libsodium's Makefile.am), always at -O3 (-Os/-Oz make AEAD ~9x and
#     Argon2id ~3x slower), without the project's warning flags;
#   - consumers get the include directory (as SYSTEM) and SODIUM_STATIC=1, so
#     that #include <sodium.h> works.
# After the call, MEDSEAL_SODIUM_WASM_SOURCE_DIR names the extracted tree
# (e.g. to build libsodium's own test/default programs).

include_guard(GLOBAL)

set(_medseal_sodium_dir "${CMAKE_CURRENT_LIST_DIR}")

# Fails the configure step if a host include directory could reach emcc/em++
# (host headers break the wasm build, e.g. "bits/wordsize.h not found").
function(_medseal_sodium_check_no_host_includes)
  foreach(var CMAKE_C_FLAGS CMAKE_CXX_FLAGS)
    if("${${var}}" MATCHES "(-I|-isystem)[ ]*/usr(/local)?/include([ /]|$)")
      message(FATAL_ERROR "${var} puts the host include directory on the "
              "Emscripten command line: '${${var}}'")
    endif()
  endforeach()
  get_directory_property(dirs INCLUDE_DIRECTORIES)
  foreach(dir IN LISTS dirs)
    if(dir MATCHES "^/usr(/local)?/include/?$")
      message(FATAL_ERROR "include_directories(${dir}) would reach em++")
    endif()
  endforeach()
endfunction()

function(medseal_add_sodium_wasm)
  if(NOT EMSCRIPTEN)
    message(FATAL_ERROR "medseal_add_sodium_wasm() is for Emscripten builds only")
  endif()
  if(TARGET medseal_sodium_wasm)
    return()
  endif()
  _medseal_sodium_check_no_host_includes()

  # --- Source tree -------------------------------------------------------
  set(src "${CMAKE_BINARY_DIR}/_deps/libsodium")
  set(stamp "${src}/.medseal-libsodium.stamp")
  set(script "${_medseal_sodium_dir}/fetch.sh")
  # Re-configure (and so re-check the pin) when the script changes.
  set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY
               CMAKE_CONFIGURE_DEPENDS "${script}")
  if(NOT EXISTS "${stamp}" OR "${script}" IS_NEWER_THAN "${stamp}")
    message(STATUS "libsodium: fetching Debian's source package into ${src}")
    execute_process(
      COMMAND bash "${script}" "${src}"
      RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "libsodium: ${script} failed (exit ${rc}); see the "
              "messages above. A fresh machine needs scripts/setup.sh first.")
    endif()
    if(NOT EXISTS "${stamp}")
      message(FATAL_ERROR "libsodium: ${script} left no ${stamp}")
    endif()
    file(TOUCH_NOCREATE "${stamp}")
  endif()
  file(STRINGS "${stamp}" stamp_text LIMIT_COUNT 1)
  string(REGEX MATCH "^libsodium [^ ]+" sodium_release "${stamp_text}")

  set(lib "${src}/src/libsodium")
  set(inc "${lib}/include")

  # --- version.h (what configure would generate) ---------------------------
  file(STRINGS "${src}/configure.ac" ac_init REGEX "^AC_INIT\\(\\[libsodium\\],\\[[^]]+\\]")
  file(STRINGS "${src}/configure.ac" ac_major REGEX "^SODIUM_LIBRARY_VERSION_MAJOR=[0-9]+$")
  file(STRINGS "${src}/configure.ac" ac_minor REGEX "^SODIUM_LIBRARY_VERSION_MINOR=[0-9]+$")
  if(NOT ac_init MATCHES "\\[libsodium\\],\\[([^]]+)\\]")
    message(FATAL_ERROR "libsodium: no version in ${src}/configure.ac")
  endif()
  set(VERSION "${CMAKE_MATCH_1}")
  if(NOT VERSION STREQUAL "1.0.18")
    message(FATAL_ERROR "libsodium: expected 1.0.18, the source says ${VERSION}")
  endif()
  string(REGEX REPLACE ".*=" "" SODIUM_LIBRARY_VERSION_MAJOR "${ac_major}")
  string(REGEX REPLACE ".*=" "" SODIUM_LIBRARY_VERSION_MINOR "${ac_minor}")
  if(NOT SODIUM_LIBRARY_VERSION_MAJOR OR NOT SODIUM_LIBRARY_VERSION_MINOR)
    message(FATAL_ERROR "libsodium: no library version in ${src}/configure.ac")
  endif()
  set(SODIUM_LIBRARY_MINIMAL_DEF "")  # full build, not --enable-minimal
  # Generated beside version.h.in, where autotools puts it, so that
  # "sodium/version.h" and its own #include "export.h" resolve as installed.
  configure_file("${inc}/sodium/version.h.in" "${inc}/sodium/version.h" @ONLY)

  # --- Sources -----------------------------------------------------------
  file(GLOB_RECURSE sources LIST_DIRECTORIES false "${lib}/*.c")
  # Native random back ends: not built for Emscripten (Makefile.am), where
  # randombytes.c calls into JS (crypto.getRandomValues / node's crypto).
  list(REMOVE_ITEM sources
       "${lib}/randombytes/sysrandom/randombytes_sysrandom.c"
       "${lib}/randombytes/internal/randombytes_internal_random.c")
  list(LENGTH sources n_sources)
  if(n_sources LESS 90)
    message(FATAL_ERROR "libsodium: only ${n_sources} C files under ${lib}")
  endif()

  # ChaCha20 on WebAssembly SIMD (simd/chacha20_simd128.c), selected by
  # libsodium's own implementation picker in stream_chacha20.c: that one file
  # is compiled as if SSSE3 were there, with the SSSE3 test and the SSSE3
  # implementation renamed to ours. libsodium's dolbeau SSSE3 code itself is
  # still compiled without the SSE defines (to nothing): clang 14 miscompiles
  # it for wasm (docs/performance.md). MEDSEAL_WASM_SIMD=OFF builds the
  # scalar reference only, for comparison and for engines without SIMD.
  if(MEDSEAL_WASM_SIMD)
    set(simd_chacha "${_medseal_sodium_dir}/simd/chacha20_simd128.c")
    list(APPEND sources "${simd_chacha}")
    set_source_files_properties("${simd_chacha}" PROPERTIES
      COMPILE_OPTIONS "-msimd128"
      INCLUDE_DIRECTORIES "${lib}")
    set_source_files_properties("${lib}/crypto_stream/chacha20/stream_chacha20.c"
      PROPERTIES COMPILE_DEFINITIONS
      "HAVE_EMMINTRIN_H=1;HAVE_TMMINTRIN_H=1;sodium_runtime_has_ssse3=medseal_wasm_has_simd128;crypto_stream_chacha20_dolbeau_ssse3_implementation=medseal_chacha20_simd128_implementation")
  endif()

  # Argon2's fill-block on WebAssembly SIMD: libsodium's own SSSE3 code
  # (argon2-fill-block-ssse3.c, blamka-round-ssse3.h) through Emscripten's
  # SSE2/SSSE3 headers, which map each intrinsic to wasm SIMD (-msimd128
  # -mssse3); argon2-core.c's picker selects it as it would on x86. The
  # package's Argon2id test runs libsodium's known answers through it
  # (wasm/package/test/argon2.test.js), and the benchmark cross-checks every
  # key with three other implementations (bench/js/argon2.mjs).
  if(MEDSEAL_WASM_SIMD AND MEDSEAL_WASM_SIMD_ARGON2)
    set(argon2_dir "${lib}/crypto_pwhash/argon2")
    set_source_files_properties("${argon2_dir}/argon2-fill-block-ssse3.c" PROPERTIES
      COMPILE_OPTIONS "-msimd128;-mssse3"
      COMPILE_DEFINITIONS "HAVE_EMMINTRIN_H=1;HAVE_TMMINTRIN_H=1")
    set_source_files_properties("${argon2_dir}/argon2-core.c" PROPERTIES
      COMPILE_DEFINITIONS
      "HAVE_EMMINTRIN_H=1;HAVE_TMMINTRIN_H=1;sodium_runtime_has_ssse3=medseal_wasm_has_simd128")
  endif()

  add_library(medseal_sodium_wasm STATIC ${sources})
  add_library(medseal::sodium ALIAS medseal_sodium_wasm)
  target_include_directories(medseal_sodium_wasm
    SYSTEM PUBLIC "${inc}"
    PRIVATE "${inc}/sodium")
  target_compile_definitions(medseal_sodium_wasm
    PUBLIC SODIUM_STATIC=1
    PRIVATE
      CONFIGURED=1
      NATIVE_LITTLE_ENDIAN=1
      HAVE_ALLOCA_H=1
      HAVE_ALLOCA=1
      HAVE_C_VARARRAYS=1
      HAVE_ATOMIC_OPS=1
      HAVE_POSIX_MEMALIGN=1
      HAVE_EXPLICIT_BZERO=1
      HAVE_GETPID=1
      HAVE_NANOSLEEP=1
      HAVE_SYS_MMAN_H=1
      _GNU_SOURCE=1)
  # Comes after CMAKE_C_FLAGS_<CONFIG>, so -O3 wins in every build type.
  target_compile_options(medseal_sodium_wasm PRIVATE
    -O3 -fno-strict-aliasing -fno-strict-overflow)
  set_target_properties(medseal_sodium_wasm PROPERTIES OUTPUT_NAME medseal_sodium)

  message(STATUS "libsodium: ${sodium_release} from Debian's source package "
                 "(${n_sources} C files, -O3, SIMD ChaCha20 ${MEDSEAL_WASM_SIMD})")
  set(MEDSEAL_SODIUM_WASM_SOURCE_DIR "${src}" PARENT_SCOPE)
endfunction()
