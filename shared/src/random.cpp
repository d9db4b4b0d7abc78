// implemented by the shared-library work in progress
