# SPDX-License-Identifier: Apache-2.0
# rules-compiler/: not built yet (filled in by its issue).
