# SPDX-License-Identifier: Apache-2.0
# PQClean's ML-KEM-768 and ML-DSA-44 "clean" C code and its FIPS 202, from
# the pinned npm package pqclean@0.8.1 (README.md beside this file).
#
# medseal_add_pqclean() defines the STATIC library medseal_pqclean and its
# alias medseal::pqclean, for native and Emscripten builds alike:
#   - the source comes from fetch.sh beside this file (tarball SHA-256 and
#     every file's SHA-256 pinned), run at configure time into
#     ${CMAKE_BINARY_DIR}/_deps/pqclean unless that tree is already there
#     (its stamp file is newer than the script);
#   - compiled as C99 with upstream's flags minus -Werror, with
#     medseal_pqclean_names.h force-included (fips202's global symbols get a
#     medseal_pqclean_ prefix), at -O3 (MEDSEAL_PQCLEAN_OPT overrides), with
#     the sanitizers of MEDSEAL_SANITIZE in native builds;
#   - consumers get include/ (medseal_pqclean.h, the only header core
#     includes) and the extracted tree as SYSTEM include directories.
# PQCLEAN_randombytes is not PQClean's (common/randombytes.c is not used):
# randombytes_hook.c beside this file defines it over bytes that core draws
# from its injected Rng (core/crypto/internal/pq_random.h).

include_guard(GLOBAL)

set(_medseal_pqclean_dir "${CMAKE_CURRENT_LIST_DIR}")
set(MEDSEAL_PQCLEAN_OPT "-O3" CACHE STRING "Optimisation flag for the PQClean sources")

function(medseal_add_pqclean)
  if(TARGET medseal_pqclean)
    return()
  endif()
  set(src "${CMAKE_BINARY_DIR}/_deps/pqclean")
  set(stamp "${src}/.medseal-pqclean.stamp")
  set(script "${_medseal_pqclean_dir}/fetch.sh")
  set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY
               CMAKE_CONFIGURE_DEPENDS "${script}")
  if(NOT EXISTS "${stamp}" OR "${script}" IS_NEWER_THAN "${stamp}")
    message(STATUS "pqclean: fetching the pinned npm package into ${src}")
    execute_process(COMMAND bash "${script}" "${src}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "pqclean: ${script} failed (exit ${rc}); see its message above")
    endif()
  endif()

  set(kem "${src}/crypto_kem/ml-kem-768/clean")
  set(dsa "${src}/crypto_sign/ml-dsa-44/clean")
  set(kem_sources cbd.c indcpa.c kem.c ntt.c poly.c polyvec.c reduce.c symmetric-shake.c verify.c)
  set(dsa_sources ntt.c packing.c poly.c polyvec.c reduce.c rounding.c sign.c symmetric-shake.c)
  list(TRANSFORM kem_sources PREPEND "${kem}/")
  list(TRANSFORM dsa_sources PREPEND "${dsa}/")
  add_library(medseal_pqclean STATIC ${src}/common/fips202.c ${kem_sources} ${dsa_sources}
              "${_medseal_pqclean_dir}/randombytes_hook.c")
  add_library(medseal::pqclean ALIAS medseal_pqclean)
  set_target_properties(medseal_pqclean PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  target_compile_options(medseal_pqclean PRIVATE
    ${MEDSEAL_PQCLEAN_OPT} -Wall -Wextra -Wpedantic -Wmissing-prototypes -Wredundant-decls
    -include "${_medseal_pqclean_dir}/include/medseal_pqclean_names.h")
  # Each scheme's files include their own headers by plain name ("params.h"),
  # and both schemes have files of the same names: give each its own folder.
  set_source_files_properties(${kem_sources} PROPERTIES INCLUDE_DIRECTORIES "${kem}")
  set_source_files_properties(${dsa_sources} PROPERTIES INCLUDE_DIRECTORIES "${dsa}")
  target_include_directories(medseal_pqclean PRIVATE "${src}/common" "${_medseal_pqclean_dir}/include")
  set_source_files_properties("${_medseal_pqclean_dir}/randombytes_hook.c" PROPERTIES INCLUDE_DIRECTORIES "${src}")
  target_include_directories(medseal_pqclean SYSTEM INTERFACE
    "${_medseal_pqclean_dir}/include" "${src}")
  if(MEDSEAL_SANITIZE AND NOT EMSCRIPTEN)
    target_compile_options(medseal_pqclean PRIVATE -fsanitize=${MEDSEAL_SANITIZE}
                           -fno-omit-frame-pointer -fno-sanitize-recover=all)
  endif()
  set(MEDSEAL_PQCLEAN_SOURCE_DIR "${src}" PARENT_SCOPE)
endfunction()
