# SPDX-License-Identifier: Apache-2.0
# Dependencies: libsodium, nlohmann/json and PQClean, as targets
# medseal::sodium, medseal::json and medseal::pqclean.
#  - Native: Debian's libsodium-dev through pkg-config, nlohmann-json3-dev.
#  - WebAssembly: libsodium 1.0.18 compiled from Debian's source package
#    (the unit third_party/libsodium/) and the system nlohmann headers
#    through an include folder that holds nothing else (host /usr/include
#    must never reach em++).

# Flags shared by every medseal target.
add_library(medseal_flags INTERFACE)
target_compile_options(medseal_flags INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti>
  -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion)
# __FILE__ (MEDSEAL_CHECK in core/base/status.h) relative to the repository, so
# that a build embeds no path of the machine it was built on and the same
# sources give the same .wasm wherever they are checked out.
target_compile_options(medseal_flags INTERFACE "-fmacro-prefix-map=${CMAKE_SOURCE_DIR}/=")
target_compile_definitions(medseal_flags INTERFACE JSON_NOEXCEPTION=1)
if(MEDSEAL_SANITIZE AND NOT EMSCRIPTEN)
  target_compile_options(medseal_flags INTERFACE -fsanitize=${MEDSEAL_SANITIZE}
                         -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(medseal_flags INTERFACE -fsanitize=${MEDSEAL_SANITIZE})
endif()

if(EMSCRIPTEN)
  include(${PROJECT_SOURCE_DIR}/third_party/libsodium/MedsealSodiumWasm.cmake)
  medseal_add_sodium_wasm()  # defines medseal::sodium
  set(medseal_json_dir ${CMAKE_BINARY_DIR}/_deps/json-include)
  file(MAKE_DIRECTORY ${medseal_json_dir})
  if(NOT EXISTS ${medseal_json_dir}/nlohmann)
    file(CREATE_LINK /usr/include/nlohmann ${medseal_json_dir}/nlohmann SYMBOLIC)
  endif()
  add_library(medseal_json INTERFACE)
  target_include_directories(medseal_json SYSTEM INTERFACE ${medseal_json_dir})
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
  add_library(medseal_sodium INTERFACE)
  target_link_libraries(medseal_sodium INTERFACE PkgConfig::SODIUM)
  add_library(medseal::sodium ALIAS medseal_sodium)
  find_package(nlohmann_json 3.10 REQUIRED)
  add_library(medseal_json INTERFACE)
  target_link_libraries(medseal_json INTERFACE nlohmann_json::nlohmann_json)
endif()
add_library(medseal::json ALIAS medseal_json)

# PQClean's ML-KEM-768, ML-DSA-44 and FIPS 202 (pinned npm tarball pqclean@0.8.1),
# compiled from source for both native and WebAssembly builds.
include(${PROJECT_SOURCE_DIR}/third_party/pqclean/MedsealPqclean.cmake)
medseal_add_pqclean()  # defines medseal::pqclean
