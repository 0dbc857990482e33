"Install w2s_nb from settings.ini (nbdev 2 layout, without pkg_resources)."
import shlex, shutil
from configparser import ConfigParser
from pathlib import Path
import setuptools
from setuptools.command.build_py import build_py

class build_py_with_templates(build_py):
    "Also copy the experiment templates and their pre-registrations (nbs/experiments/*.ipynb, *.yaml) into the package as w2s_nb/experiments/"
    def run(self):
        super().run()
        target = Path(self.build_lib) / 'w2s_nb' / 'experiments'
        target.mkdir(parents=True, exist_ok=True)
        templates = sorted(Path('nbs/experiments').glob('*.ipynb'))
        if not templates: raise RuntimeError('no templates in nbs/experiments: build from a clone or an sdist')
        for nb in templates + sorted(Path('nbs/experiments').glob('*.yaml')): shutil.copy2(nb, target / nb.name)

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
mlflow_requirements = shlex.split(cfg.get('mlflow_requirements', ''))
console_scripts = [s for s in cfg.get('console_scripts', '').split() if s]

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    author=cfg['author'],
    author_email=cfg['author_email'],
    license='Apache-2.0',
    license_files=['LICENSE'],
    url=cfg['git_url'],
    keywords=cfg['keywords'].split(),
    packages=setuptools.find_packages(include=['w2s_nb', 'w2s_nb.*']),
    include_package_data=True,
    python_requires='>=' + cfg['min_python'],
    install_requires=requirements,
    extras_require={'dev': dev_requirements, 'mlflow': mlflow_requirements},
    entry_points={'console_scripts': console_scripts, 'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
    cmdclass={'build_py': build_py_with_templates},
)
