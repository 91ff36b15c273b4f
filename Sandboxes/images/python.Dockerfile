# The image the python profile names for --sandbox docker|podman: python plus pytest.
#   docker build -t forge-sandbox-python:3.11 -f Sandboxes/images/python.Dockerfile .
#   podman build -t forge-sandbox-python:3.11 -f Sandboxes/images/python.Dockerfile .
# The other profiles name upstream images that already hold their toolchain and test runner
# (swift, node, rust, golang). forge never pulls or builds an image itself.
FROM python:3.11-slim
RUN pip install --no-cache-dir pytest
