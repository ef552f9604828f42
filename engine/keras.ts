/**
 * @rnnlab/engine/keras: import of Keras 2.0.6 HDF5 models (Sequential SimpleRNN + Dense, the format of the paper's
 * networks) from their bytes, with jsfive, a pure-JS HDF5 reader. Browser-safe; for a file path use the /node
 * entry's importKerasFile.
 */
export { checkHdf5Superblock, importKerasBuffer, type KerasImport } from './io/keras-import';
