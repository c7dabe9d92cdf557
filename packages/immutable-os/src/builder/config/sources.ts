/**
 * The upstream sources the build-config rules mirror, as `repo@commit path:line`. The current
 * bootc-image-builder lives in osbuild/image-builder (its `bootc-image-builder` multicall binary)
 * and pins blueprint v1.32.0, which we could not read: lines below are blueprint v1.30.0's, the
 * newest tag available, and `bootloader` (v1.32 only) is inferred from image-builder's use of it.
 */
export const BLUEPRINT = 'osbuild/blueprint@v1.30.0 pkg/blueprint/';
export const IMAGE_BUILDER = 'osbuild/image-builder@a1f35083 ';
export const TOML_DECODER = 'BurntSushi/toml@v1.6.0 ';

/** How the builder reads the file: every key it does not know fails the run ("unknown keys found"). */
export const CONFIG_LOADER = `${IMAGE_BUILDER}pkg/bib/blueprintload/config.go:43-44 (JSON DisallowUnknownFields), :65-66 (TOML Undecoded)`;
