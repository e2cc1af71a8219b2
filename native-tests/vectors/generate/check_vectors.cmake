# SPDX-License-Identifier: Apache-2.0
# Runs the generator into SCRATCH and compares every file with COMMITTED.
file(REMOVE_RECURSE ${SCRATCH})
file(MAKE_DIRECTORY ${SCRATCH}/record ${SCRATCH}/identity ${SCRATCH}/consent)
# EMULATOR: empty natively; node under Emscripten (wasm-tests).
execute_process(COMMAND ${EMULATOR} ${GENERATOR} ${SCRATCH} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vector generator failed (${rc})")
endif()
file(GLOB_RECURSE generated RELATIVE ${SCRATCH} ${SCRATCH}/*.json)
list(LENGTH generated n)
if(n EQUAL 0)
  message(FATAL_ERROR "vector generator wrote nothing")
endif()
foreach(f IN LISTS generated)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${SCRATCH}/${f} ${COMMITTED}/${f}
                  RESULT_VARIABLE diff)
  if(NOT diff EQUAL 0)
    message(FATAL_ERROR "${f} differs from the generator's output: regenerate the vectors "
                        "(see native-tests/vectors/generate/generate_vectors.cc)")
  endif()
endforeach()
message(STATUS "${n} vector files match the generator")
